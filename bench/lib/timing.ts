/**
 * Timing for benchmarks: warm up (so the JIT has compiled the hot loops), then time several
 * repeats and take the median, which one slow repeat (a GC pause, another process) cannot move.
 *
 * Each repeat is timed twice: by the wall clock, and by this process's CPU time
 * (process.cpuUsage, user + system). On a shared 2-core machine other processes time-slice ours,
 * which inflates the wall clock but not the CPU time, so the suites compute ratios and judge
 * targets on CPU time and print the wall-clock figures beside them. Everything timed here is
 * single-threaded (the kit, tfjs cpu, and tfjs wasm without threads), so CPU time is also the time
 * the work would take on an idle machine, plus V8's background GC work, which is real cost.
 */
export interface TimingOptions {
  /** Time spent running the work before measuring, in ms. */
  warmupMs: number;
  /** Number of timed repeats; the result is their median. */
  repeats: number;
  /** Each repeat runs enough units of work to last at least this long, in ms (timer resolution). */
  minRepeatMs: number;
}

/** Median milliseconds per unit of work, by CPU time and by the wall clock. */
export interface Timing {
  cpuMs: number;
  wallMs: number;
}

/** Long enough for stable figures on a 2-core machine; `quick` is a smoke run, not a measurement. */
export function timingFor(quick: boolean): TimingOptions {
  return quick ? { warmupMs: 30, repeats: 3, minRepeatMs: 10 } : { warmupMs: 500, repeats: 9, minRepeatMs: 250 };
}

/**
 * Times `work(count)`, which runs `count` units back to back (say, `count` training iterations);
 * a unit must be synchronous and leave its result computed.
 */
export function timePerUnit(work: (count: number) => void, options: TimingOptions): Timing {
  let count = 1;
  const warmupEnd = performance.now() + options.warmupMs;
  // Grow the number of units per repeat until one repeat lasts minRepeatMs, warming up as we go.
  for (;;) {
    const start = performance.now();
    work(count);
    const elapsed = performance.now() - start;
    if (elapsed >= options.minRepeatMs && performance.now() >= warmupEnd) break;
    if (elapsed < options.minRepeatMs)
      count = Math.min(count * 2, Math.ceil((count * options.minRepeatMs) / Math.max(elapsed, 1e-3)) + 1);
  }
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    work(count);
    wall.push((performance.now() - wallStart) / count);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000 / count);
  }
  return { cpuMs: median(cpu), wallMs: median(wall) };
}

/**
 * Median wall-clock milliseconds per unit: the first API of this file, kept for the suites that use
 * it (conv). New code should use `timePerUnit`, whose CPU-time figure a busy machine does not inflate.
 */
export function medianMsPerUnit(work: (count: number) => void, options: TimingOptions): number {
  return timePerUnit(work, options).wallMs;
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
