import { describe, expect, it } from 'vitest';
import {
  compareWithNumeric,
  fromArray,
  gradientCheck,
  Parameter,
  Rng,
  StatelessLayer,
  Tensor,
  type Layer,
} from '../../framework/index.js';

/** y = x² element-wise, with a deliberately wrong backward (2x + 1) when `broken`. */
class Square extends StatelessLayer {
  readonly name = 'Square';
  #x?: Tensor;
  constructor(private readonly broken = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    this.#x = x;
    return new Tensor(
      x.shape,
      x.data.map((v) => v * v),
    );
  }
  backward(g: Tensor): Tensor {
    return new Tensor(
      g.shape,
      g.data.map((v, i) => v * (2 * this.#x!.data[i] + (this.broken ? 1 : 0))),
    );
  }
}

/** y = a·x with a scalar parameter a whose gradient is forgotten when `broken`. */
class Scale implements Layer {
  readonly name = 'Scale';
  training = true;
  readonly a = new Parameter('a', fromArray([1.5]));
  #x?: Tensor;
  constructor(private readonly broken = false) {}
  forward(x: Tensor): Tensor {
    this.#x = x;
    return new Tensor(
      x.shape,
      x.data.map((v) => v * this.a.value.data[0]),
    );
  }
  backward(g: Tensor): Tensor {
    let da = 0;
    g.data.forEach((v, i) => {
      da += v * this.#x!.data[i];
    });
    if (!this.broken) this.a.accumulate(fromArray([da]));
    return new Tensor(
      g.shape,
      g.data.map((v) => v * this.a.value.data[0]),
    );
  }
  parameters(): Parameter[] {
    return [this.a];
  }
}

describe('framework gradientCheck', () => {
  it('reproduces the centred-difference example of seed 004: 1550–1636: ∂/∂x₁ (2x₁ + 3x₂)² + 3 at (1, 3) = 44', () => {
    const x = fromArray([1, 3]);
    const f = (): number => (2 * x.data[0] + 3 * x.data[1]) ** 2 + 3;
    // Analytic gradient (2·2(2x₁+3x₂), 3·2(2x₁+3x₂)) = (44, 66). The seed's 43.9999 is round-off shown truncated.
    const comparison = compareWithNumeric('x', fromArray([44, 66]), x, f, { h: 1e-2 });
    expect(comparison.maxRelativeError).toBeLessThan(1e-10);
    expect(x.toArray(), 'the values are restored after perturbation').toEqual([1, 3]);
  });

  it('passes a correct layer and flags a wrong input gradient with its index', () => {
    const x = new Rng(1).normalTensor([2, 3]);
    expect(gradientCheck(new Square(), x).maxRelativeError).toBeLessThan(1e-8);
    const report = gradientCheck(new Square(true), x);
    expect(report.input.maxRelativeError).toBeGreaterThan(1e-2);
    expect(report.input.worstIndex).toHaveLength(2);
  });

  it('checks every parameter too: a forgotten parameter gradient is caught', () => {
    const x = new Rng(2).normalTensor([4]);
    expect(gradientCheck(new Scale(), x).maxRelativeError).toBeLessThan(1e-8);
    const report = gradientCheck(new Scale(true), x);
    expect(report.worst.name).toBe('a');
    expect(report.parameters[0].maxRelativeError).toBeGreaterThan(0.5);
  });
});
