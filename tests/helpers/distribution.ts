import { sampleStatistics, tensorData, type SampleStatistics } from '../harness/data.js';
import { fail } from '../harness/verify.js';

/**
 * Random draws (initializers) are judged by their distribution, never value by value: a correct
 * implementation that consumes the Rng in another order draws other numbers. `run` summarises a draw
 * with `describeDraw` (the harness's `sampleStatistics` plus a Kolmogorov–Smirnov distance, both
 * computed by kit code from the tensor the student returned); `verify` judges the summary with
 * `expectDraw`, from the law it recomputes itself.
 */

/** The law a draw should follow: N(0, σ²), or U[low, high). */
export type Law =
  | { readonly kind: 'normal'; readonly sigma: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number };

/** The unit in which a law's statistics are given: σ for a normal, the larger of |low|, |high| for a uniform. */
export function lawScale(law: Law): number {
  return law.kind === 'normal' ? law.sigma : Math.max(Math.abs(law.low), Math.abs(law.high));
}

export function describeLaw(law: Law): string {
  return law.kind === 'normal'
    ? `N(0, σ²) with σ = ${law.sigma.toPrecision(6)}`
    : `U[${law.low.toPrecision(6)}, ${law.high.toPrecision(6)})`;
}

/** What `run` returns for one draw. */
export interface DrawSummary {
  readonly shape: number[];
  /** `sampleStatistics` in units of `lawScale(law)`, with bounds. */
  readonly statistics: SampleStatistics;
  /** sup |F_n(x) − F(x)| against the law's CDF. */
  readonly ks: number;
}

/** Run side: the statistics of a drawn tensor, standardised by the law it should follow. */
export function describeDraw(value: unknown, law: Law, what: string): DrawSummary {
  const { shape, data } = tensorData(value, what);
  const statistics = sampleStatistics(value, lawScale(law), what, { bounds: true });
  return { shape, statistics, ks: ksStatistic(data, cdfOf(law)) };
}

/**
 * Verify side: the summary fits `law`. Tolerances are many standard errors wide for 50 000 values (a
 * correct draw passes under any seed) and far narrower than the usual mistakes: σ² passed as σ, a
 * normal where a uniform belongs, the uniform limit √(3σ²) forgotten, one fan instead of two.
 */
export function expectDraw(summary: DrawSummary, law: Law, what: string): void {
  const { statistics: s, ks } = summary;
  const unit = lawScale(law);
  const n = s.count;
  if (n < 10_000) fail(`${what}: expected at least 10 000 values, received ${n}`);
  const expected =
    law.kind === 'normal'
      ? { mean: 0, variance: 1, kurtosis: 3, kurtosisTolerance: 0.2 }
      : {
          mean: (law.low + law.high) / 2 / unit,
          variance: ((law.high - law.low) / unit) ** 2 / 12,
          kurtosis: 1.8,
          kurtosisTolerance: 0.1,
        };
  const name = describeLaw(law);
  const spread = Math.sqrt(expected.variance);
  // Seven standard errors of the mean.
  if (!(Math.abs(s.mean - expected.mean) <= (7 * spread) / Math.sqrt(n))) {
    fail(
      `${what}: the sample mean is ${(s.mean * unit).toPrecision(5)}, expected ${(expected.mean * unit).toPrecision(5)} for ${name}; check the centre of the distribution`,
    );
  }
  if (!(Math.abs(s.variance / expected.variance - 1) <= 0.05)) {
    const ratio = s.variance / expected.variance;
    fail(
      `${what}: the sample variance is ${(s.variance * unit * unit).toPrecision(5)}, expected ${(expected.variance * unit * unit).toPrecision(5)} for ${name} ` +
        `(${ratio.toFixed(3)} times too ${ratio > 1 ? 'large' : 'small'}); check σ or the limit r and which fans it uses (a uniform U[−r, r) has variance r²/3; rng.normalTensor takes σ, not σ²)`,
    );
  }
  if (!(Math.abs(s.kurtosis - expected.kurtosis) <= expected.kurtosisTolerance)) {
    fail(
      `${what}: the sample kurtosis is ${s.kurtosis.toFixed(3)}, expected ${expected.kurtosis} for a ${law.kind} distribution (3 for a normal, 1.8 for a uniform); check that you draw from the right kind of distribution`,
    );
  }
  if (law.kind === 'uniform') {
    const low = law.low / unit;
    const high = law.high / unit;
    const width = high - low;
    if (!(s.min! >= low - 1e-9 && s.max! <= high + 1e-9)) {
      fail(
        `${what}: values from ${(s.min! * unit).toPrecision(6)} to ${(s.max! * unit).toPrecision(6)} leave the range of ${name}`,
      );
    }
    if (!(s.min! <= low + 0.01 * width && s.max! >= high - 0.01 * width)) {
      fail(
        `${what}: values from ${(s.min! * unit).toPrecision(6)} to ${(s.max! * unit).toPrecision(6)} do not fill ${name}`,
      );
    }
  }
  const critical = Math.sqrt(Math.log(2 / 1e-4) / 2) / Math.sqrt(n);
  if (!(ks < critical)) {
    fail(
      `${what}: the Kolmogorov–Smirnov distance ${ks.toFixed(4)} from ${name} is above ${critical.toFixed(4)} for ${n} values; check the distribution and its σ or range`,
    );
  }
}

/** Φ(x), the standard normal CDF, via erf (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function cdfOf(law: Law): (x: number) => number {
  if (law.kind === 'normal') return (x) => normalCdf(x / law.sigma);
  return (x) => Math.min(1, Math.max(0, (x - law.low) / (law.high - law.low)));
}

/** The Kolmogorov–Smirnov statistic sup |F_n(x) − F(x)| of `samples` against the CDF `cdf`. */
export function ksStatistic(samples: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    if (Number.isNaN(f)) return Infinity;
    worst = Math.max(worst, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return worst;
}

/** Sample mean and (biased) variance. */
export function moments(samples: ArrayLike<number>): { mean: number; variance: number } {
  let mean = 0;
  for (let i = 0; i < samples.length; i++) mean += samples[i];
  mean /= samples.length;
  let variance = 0;
  for (let i = 0; i < samples.length; i++) variance += (samples[i] - mean) ** 2;
  return { mean, variance: variance / samples.length };
}
