import { round, type Timing } from './timing.js';

/**
 * Record fields for one implementation's timing: `<prefix><unit>` from CPU time and
 * `<prefix>wall_<unit>` from the wall clock, e.g. tfjs_wasm_ms_per_iteration and
 * tfjs_wasm_wall_ms_per_iteration. `value` turns milliseconds per unit into the unit (identity for
 * ms, GFLOP/s for a product). A missing timing prints as null.
 */
export function figures(
  prefix: string,
  time: Timing | undefined,
  value: (ms: number) => number,
  unit: string,
): Record<string, number> {
  return {
    [`${prefix}${unit}`]: round(value(time?.cpuMs ?? NaN)),
    [`${prefix}wall_${unit}`]: round(value(time?.wallMs ?? NaN)),
  };
}

/**
 * `ratio_vs_<other>` (CPU time) and `wall_ratio_vs_<other>` for each named other implementation:
 * the kit's time ÷ the other's for the same work, so ≤ 1 means the kit is as fast or faster.
 */
export function ratios(kit: Timing, others: Record<string, Timing | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [other, time] of Object.entries(others)) {
    out[`ratio_vs_${other}`] = round(kit.cpuMs / (time?.cpuMs ?? NaN), 3);
    out[`wall_ratio_vs_${other}`] = round(kit.wallMs / (time?.wallMs ?? NaN), 3);
  }
  return out;
}
