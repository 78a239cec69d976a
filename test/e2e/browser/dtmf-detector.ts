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

/** Listens to a stream and appends each detected key once per press. */
export function listenForDtmf(stream: MediaStream, onKey: (key: string) => void): () => void {
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const block = new Float32Array(analyser.fftSize);
  let current: string | null = null;
  let streak = 0;
  let reported = false;
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(block);
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
  }, 15);
  return () => {
    clearInterval(timer);
    void context.close();
  };
}
