import { expect } from 'vitest';

/**
 * Statistical checks for initializers. The samples come from a fixed seed, so a check either
 * always passes or always fails; the thresholds are set so that a correct implementation passes
 * with a wide margin (a false alarm rate below 1e-4 for any seed) and a wrong σ or range cannot.
 */

/** Φ(x), the standard normal CDF, via erf (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** The Kolmogorov–Smirnov statistic sup |F_n(x) − F(x)| of `samples` against the CDF `cdf`. */
export function ksStatistic(samples: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    worst = Math.max(worst, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return worst;
}

/**
 * Asserts that `samples` follow `cdf` by the KS test at α = 1e-4 (critical value √(ln(2/α)/2)/√n).
 * `what` names the distribution the student should have drawn from.
 */
export function expectDistribution(samples: ArrayLike<number>, cdf: (x: number) => number, what: string): void {
  const n = samples.length;
  const statistic = ksStatistic(samples, cdf);
  const critical = Math.sqrt(Math.log(2 / 1e-4) / 2) / Math.sqrt(n);
  expect(statistic, `${what}: Kolmogorov–Smirnov distance ${statistic.toFixed(4)} from the expected distribution is above ${critical.toFixed(4)} for ${n} samples; check the distribution and its σ or range`).toBeLessThan(critical);
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

/**
 * Asserts mean ≈ `mean` and variance ≈ `variance` within 5 standard errors (for a normal or uniform
 * sample the standard error of the variance is at most σ²·√(2/n)).
 */
export function expectMoments(samples: ArrayLike<number>, mean: number, variance: number, what: string): void {
  const n = samples.length;
  const got = moments(samples);
  const meanTolerance = 5 * Math.sqrt(variance / n);
  const varianceTolerance = 5 * variance * Math.sqrt(2 / n);
  expect(Math.abs(got.mean - mean), `${what}: sample mean ${got.mean.toFixed(5)}, expected ${mean} (±${meanTolerance.toExponential(1)})`).toBeLessThan(meanTolerance);
  expect(Math.abs(got.variance - variance), `${what}: sample variance ${got.variance.toFixed(5)}, expected ${variance.toFixed(5)} (±${varianceTolerance.toExponential(1)})`).toBeLessThan(varianceTolerance);
}
