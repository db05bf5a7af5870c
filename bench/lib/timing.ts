/**
 * Wall-clock timing for benchmarks: warm up (so the JIT has compiled the hot loops), then time
 * several repeats and take the median, which one slow repeat (a GC pause, another process) cannot move.
 */
export interface TimingOptions {
  /** Time spent running the work before measuring, in ms. */
  warmupMs: number;
  /** Number of timed repeats; the result is their median. */
  repeats: number;
  /** Each repeat runs enough units of work to last at least this long, in ms (timer resolution). */
  minRepeatMs: number;
}

/** Long enough for stable figures on a 2-core machine; `quick` is a smoke run, not a measurement. */
export function timingFor(quick: boolean): TimingOptions {
  return quick ? { warmupMs: 30, repeats: 3, minRepeatMs: 10 } : { warmupMs: 500, repeats: 9, minRepeatMs: 250 };
}

/**
 * Median milliseconds per unit of work. `work(count)` runs `count` units back to back (say,
 * `count` training iterations); a unit must be synchronous and leave its result computed.
 */
export function medianMsPerUnit(work: (count: number) => void, options: TimingOptions): number {
  let count = 1;
  const warmupEnd = performance.now() + options.warmupMs;
  // Grow the batch of units until one batch lasts minRepeatMs, warming up as we go.
  for (;;) {
    const start = performance.now();
    work(count);
    const elapsed = performance.now() - start;
    if (elapsed >= options.minRepeatMs && performance.now() >= warmupEnd) break;
    if (elapsed < options.minRepeatMs) count = Math.min(count * 2, Math.ceil((count * options.minRepeatMs) / Math.max(elapsed, 1e-3)) + 1);
  }
  const perUnit: number[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const start = performance.now();
    work(count);
    perUnit.push((performance.now() - start) / count);
  }
  return median(perUnit);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Rounds a figure for printing: 4 significant digits are more than the run-to-run noise. */
export function round(value: number, digits = 4): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}
