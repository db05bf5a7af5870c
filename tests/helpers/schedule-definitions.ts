/**
 * The learning-rate schedules of Exercise 6 written out once more, independently of solutions/, for
 * the checks' `verify` (pure functions of plain options). Step t counts updates from 0.
 * Seeds: 004: 4486–4489, 003: 529–559, 000: 2407–2459; handout docs/exercises/6-modern.md.
 */
export interface StepDecayOptions {
  lr: number;
  stepSize: number;
  factor?: number;
}
export interface ExponentialDecayOptions {
  lr: number;
  decaySteps: number;
  decayRate?: number;
}
export interface InverseTimeDecayOptions {
  lr: number;
  decayRate: number;
  decaySteps?: number;
}
export interface LinearDecayOptions {
  lr: number;
  finalLr: number;
  steps: number;
}
export interface CosineAnnealingOptions {
  lr: number;
  period: number;
  minLr?: number;
  restarts?: boolean;
}
export interface CyclicalOptions {
  lr: number;
  maxLr: number;
  stepSize: number;
  mode?: 'triangular' | 'triangular2';
}

/** η₀·γ^⌊t/n⌋ (004: 4486). */
export function stepDecayRate(o: StepDecayOptions, t: number): number {
  let rate = o.lr;
  for (let block = o.stepSize; block <= t; block += o.stepSize) rate *= o.factor ?? 0.1;
  return rate;
}

/** η₀·r^(t/s) (003: 542). */
export function exponentialDecayRate(o: ExponentialDecayOptions, t: number): number {
  return o.lr * Math.exp((t / o.decaySteps) * Math.log(o.decayRate ?? 0.1));
}

/** η₀ / (1 + k·t/s) (004: 4489). */
export function inverseTimeDecayRate(o: InverseTimeDecayOptions, t: number): number {
  return o.lr / (1 + (o.decayRate * t) / (o.decaySteps ?? 1));
}

/** (1 − t/τ)·α[0] + (t/τ)·α[τ] up to τ, then α[τ] (000: 2416, first form). */
export function linearDecayRate(o: LinearDecayOptions, t: number): number {
  return t >= o.steps ? o.finalLr : o.lr + (t / o.steps) * (o.finalLr - o.lr);
}

/** η_min + ½(η_max − η_min)(1 + cos(π·t_cur/T)), t_cur = min(t, T) or t mod T with restarts. */
export function cosineAnnealingRate(o: CosineAnnealingOptions, t: number): number {
  const minLr = o.minLr ?? 0;
  const current = o.restarts ? t - o.period * Math.floor(t / o.period) : Math.min(t, o.period);
  return minLr + ((o.lr - minLr) * (1 + Math.cos((Math.PI * current) / o.period))) / 2;
}

/** Triangle wave between lr and maxLr with half-period stepSize (Smith 2017; 000: 2443–2450). */
export function cyclicalRate(o: CyclicalOptions, t: number): number {
  const period = 2 * o.stepSize;
  const cycle = Math.floor(t / period); // 0-based
  const position = t - cycle * period; // 0 … period − 1
  const height = position <= o.stepSize ? position / o.stepSize : (period - position) / o.stepSize;
  const amplitude = (o.maxLr - o.lr) * (o.mode === 'triangular2' ? 0.5 ** cycle : 1);
  return o.lr + amplitude * height;
}
