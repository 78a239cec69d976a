/**
 * Hears DTMF in received audio (Goertzel on the eight DTMF frequencies). Chromium's jitter buffer
 * plays RFC 4733 telephone-events out as tones, so this is what a customer's ear gets.
 */
const ROWS = [697, 770, 852, 941];
const COLUMNS = [1209, 1336, 1477, 1633];
const KEYS = ['123A', '456B', '789C', '*0#D'];

function goertzelPower(samples: Float32Array, sampleRate: number, frequency: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let previous = 0;
  let beforePrevious = 0;
  for (const sample of samples) {
    const current = sample + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
}

/** The key whose row and column tones clearly dominate this block, or null. */
export function detectKey(samples: Float32Array, sampleRate: number): string | null {
  const rowPowers = ROWS.map((f) => goertzelPower(samples, sampleRate, f));
  const columnPowers = COLUMNS.map((f) => goertzelPower(samples, sampleRate, f));
  const strongest = (powers: number[]) => {
    const sorted = [...powers].sort((a, b) => b - a);
    return { index: powers.indexOf(sorted[0]!), best: sorted[0]!, second: sorted[1]! };
  };
  const row = strongest(rowPowers);
  const column = strongest(columnPowers);
  let energy = 0;
  for (const sample of samples) energy += sample * sample;
  // Both tones well above the others and carrying most of the block's energy.
  const toneShare = (row.best + column.best) / (energy * samples.length * 0.5 + 1e-12);
  if (energy / samples.length < 1e-5) return null; // Silence.
  if (row.best < 8 * row.second || column.best < 8 * column.second || toneShare < 0.5) return null;
  return KEYS[row.index]![column.index]!;
}

/** Samples per block handed to the detector: 21 ms at 48 kHz, fine enough for the row tones. */
const BLOCK = 1024;

/**
 * An audio-thread tap that hands the main thread every sample in blocks. The audio thread is not
 * delayed by main-thread stalls (GC, sip.js work), and queued blocks are not lost while the main
 * thread is busy, so a 160 ms tone is heard even when the page could not run a timer meanwhile.
 */
const TAP_PROCESSOR = `
class DtmfTap extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(${BLOCK});
    this.filled = 0;
  }
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      for (let i = 0; i < channel.length; i += 1) {
        this.block[this.filled] = channel[i];
        this.filled += 1;
        if (this.filled === this.block.length) {
          this.port.postMessage(this.block.slice());
          this.filled = 0;
        }
      }
    }
    return true;
  }
}
registerProcessor('dtmf-tap', DtmfTap);
`;

/** Listens to a stream and appends each detected key once per press. */
export function listenForDtmf(stream: MediaStream, onKey: (key: string) => void): () => void {
  const context = new AudioContext();
  let current: string | null = null;
  let streak = 0;
  let reported = false;
  const onBlock = (block: Float32Array) => {
    const key = detectKey(block, context.sampleRate);
    if (key !== current) {
      current = key;
      streak = 0;
      reported = false;
    }
    streak += 1;
    if (current && streak >= 2 && !reported) {
      reported = true;
      onKey(current);
    }
  };
  const moduleUrl = URL.createObjectURL(new Blob([TAP_PROCESSOR], { type: 'text/javascript' }));
  const started = context.audioWorklet.addModule(moduleUrl).then(() => {
    const tap = new AudioWorkletNode(context, 'dtmf-tap');
    tap.port.onmessage = (message: MessageEvent<Float32Array>) => onBlock(message.data);
    // Silent path to the output: the graph renders the tap on every audio quantum.
    const mute = context.createGain();
    mute.gain.value = 0;
    context.createMediaStreamSource(stream).connect(tap).connect(mute).connect(context.destination);
  });
  return () => {
    URL.revokeObjectURL(moduleUrl);
    void started.finally(() => context.close());
  };
}
