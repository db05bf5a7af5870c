import { describe, expect, it } from 'vitest';
import { clipGradNorm, NonFiniteError, Parameter, tensor, ValueError, zeros } from '../../framework/index.js';

function parameterWithGrad(name: string, grad: number[]): Parameter {
  const parameter = new Parameter(name, zeros([grad.length]));
  parameter.accumulate(tensor(grad, [grad.length]));
  return parameter;
}

describe('framework clipGradNorm', () => {
  it('scales all gradients by one factor when the global norm exceeds the cap, and returns the norm before', () => {
    // ‖(3, 4, 12)‖ = 13 over two parameters; cap 6.5 halves every entry.
    const a = parameterWithGrad('a', [3, 4]);
    const b = parameterWithGrad('b', [12]);
    expect(clipGradNorm([a, b], 6.5)).toBeCloseTo(13, 12);
    const factor = 6.5 / (13 + 1e-6);
    expect(Array.from(a.grad.data)).toEqual([expect.closeTo(3 * factor, 12), expect.closeTo(4 * factor, 12)]);
    expect(b.grad.data[0]).toBeCloseTo(12 * factor, 12);
    const norm = Math.hypot(...a.grad.data, ...b.grad.data);
    expect(norm).toBeLessThanOrEqual(6.5);
  });

  it('leaves gradients under the cap unchanged', () => {
    const a = parameterWithGrad('a', [0.3, -0.4]);
    expect(clipGradNorm([a], 1)).toBeCloseTo(0.5, 12);
    expect(Array.from(a.grad.data)).toEqual([0.3, -0.4]);
  });

  it('rejects a bad cap and a non-finite gradient with a clear error', () => {
    expect(() => clipGradNorm([], 0)).toThrow(ValueError);
    expect(() => clipGradNorm([parameterWithGrad('a', [Infinity])], 1)).toThrow(NonFiniteError);
  });
});
