// Writes resources/ringtone.wav: a synthesized two-tone ring (440 + 480 Hz, the North American
// ring's frequencies), two 0.4 s bursts then silence, 16-bit mono 16 kHz. No downloaded sounds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const rate = 16_000;
const seconds = 2;
const samples = new Int16Array(rate * seconds);
for (let i = 0; i < samples.length; i++) {
  const t = i / rate;
  const inBurst = t < 0.4 || (t >= 0.6 && t < 1.0);
  if (!inBurst) continue;
  const local = t < 0.4 ? t : t - 0.6;
  // 10 ms fades so the bursts do not click.
  const envelope = Math.min(1, local / 0.01, (0.4 - local) / 0.01);
  const tone = 0.5 * Math.sin(2 * Math.PI * 440 * t) + 0.5 * Math.sin(2 * Math.PI * 480 * t);
  samples[i] = Math.round(tone * envelope * 0.6 * 32767);
}

const header = Buffer.alloc(44);
header.write('RIFF', 0);
header.writeUInt32LE(36 + samples.byteLength, 4);
header.write('WAVE', 8);
header.write('fmt ', 12);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(rate, 24);
header.writeUInt32LE(rate * 2, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write('data', 36);
header.writeUInt32LE(samples.byteLength, 40);

const target = join(import.meta.dirname, '..', 'resources', 'ringtone.wav');
writeFileSync(target, Buffer.concat([header, Buffer.from(samples.buffer)]));
console.log(`wrote ${target}`);
