import { expect } from 'vitest';
import { describeComparison, gradientCheck, type GradientCheckOptions, type Layer, type Tensor } from '../../framework/index.js';

/**
 * Asserts that a layer's backward matches centred differences on its input and every parameter,
 * within `threshold` (max relative error). The message names the gradient, the index, both values.
 */
export function expectGradientsMatch(layer: Layer, input: Tensor, threshold: number, options: GradientCheckOptions = {}): void {
  const report = gradientCheck(layer, input, options);
  for (const comparison of [report.input, ...report.parameters]) {
    expect(
      comparison.maxRelativeError,
      `${layer.name}.backward: ${describeComparison(comparison)}. Check the formula for ∂L/∂${comparison.name} in the handout; remember parameter gradients are added to .grad, not assigned.`,
    ).toBeLessThan(threshold);
  }
}
