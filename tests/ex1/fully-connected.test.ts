import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, loadIris, NonFiniteError, Rng, ShapeError, StateError, standardizer, tensor, trainTestSplit, accuracy, type Tensor } from '../../framework/index.js';
import { FullyConnected } from '#impl/layers/fully-connected.js';
import { assertProperty, matrix } from '../helpers/property.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectGradientsMatch } from '../helpers/gradient.js';
import { SoftmaxCrossEntropyDouble, sgdStepDouble, trainDouble, forwardAll } from '../helpers/doubles.js';

/** A layer with chosen weights: W [in, out] and b [out]. */
function layerWith(weight: number[][], bias: number[]): FullyConnected {
  const layer = new FullyConnected(weight.length, bias.length, { rng: new Rng(0) });
  layer.weight.assign(fromArray(weight));
  layer.bias.assign(fromArray(bias));
  return layer;
}

describe('ex1 FullyConnected', () => {
  describe('properties', () => {
    it('is affine: f(x1 + x2) − f(0) = (f(x1) − f(0)) + (f(x2) − f(0))', () => {
      assertProperty(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer(), (inputs, outputs, batch, seed) => {
          const rng = new Rng(seed);
          const layer = new FullyConnected(inputs, outputs, { rng });
          const x1 = rng.normalTensor([batch, inputs]);
          const x2 = rng.normalTensor([batch, inputs]);
          const sum = tensor(x1.data.map((v, i) => v + x2.data[i]), x1.shape);
          const zero = layer.forward(tensor(new Array(batch * inputs).fill(0), [batch, inputs]));
          const [a, b, c] = [layer.forward(x1), layer.forward(x2), layer.forward(sum)];
          const expected = tensor(a.data.map((v, i) => v + b.data[i] - zero.data[i]), a.shape);
          expectClose(c, expected, 1e-9, 'FullyConnected.forward is not affine; y must be x·W + b');
        }),
      );
    });

    it('maps [batch, in] to [batch, out] and treats each row independently', () => {
      assertProperty(
        fc.property(matrix(fc.integer({ min: 1, max: 6 }), fc.constant(3)), (rows) => {
          const layer = new FullyConnected(3, 2, { rng: new Rng(7) });
          const whole = layer.forward(fromArray(rows));
          expect(whole.shape, 'FullyConnected.forward output must be [batch, outFeatures]').toEqual([rows.length, 2]);
          rows.forEach((row, i) => {
            const single = layer.forward(fromArray([row]));
            expectClose(single, [Array.from(whole.data.subarray(i * 2, i * 2 + 2))], 1e-12, `row ${i} depends on other rows of the batch`);
          });
        }),
      );
    });

    it('accumulates parameter gradients: two backward calls give twice the gradient', () => {
      const rng = new Rng(3);
      const layer = new FullyConnected(4, 3, { rng });
      const x = rng.normalTensor([5, 4]);
      const g = rng.normalTensor([5, 3]);
      layer.forward(x);
      layer.backward(g);
      const once = layer.weight.grad.clone();
      layer.backward(g);
      expectClose(layer.weight.grad, tensor(once.data.map((v) => 2 * v), once.shape), 1e-12, 'weight.grad after two backward calls (use weight.accumulate, do not assign)');
    });
  });

  describe('gradients', () => {
    for (const [batch, inputs, outputs] of [[1, 1, 1], [3, 4, 2], [5, 2, 6]]) {
      it(`input, weight and bias match centred differences for batch ${batch}, ${inputs} → ${outputs}`, () => {
        const rng = new Rng(batch * 100 + inputs * 10 + outputs);
        expectGradientsMatch(new FullyConnected(inputs, outputs, { rng }), rng.normalTensor([batch, inputs]), 1e-7);
      });
    }
  });

  describe('known values', () => {
    it('reproduces the hidden-layer pre-activations of seed 000: 460–495 (z_in = (−3, 2, 0, 7))', () => {
      // Column j of W holds (w_1j, w_2j, w_3j); x = (−3, 1, 5), b = (5, 2, −1, 1).
      const layer = layerWith([[3, 11, -6, 6], [-9, -2, 3, -1], [2, 7, -4, 5]], [5, 2, -1, 1]);
      expectClose(layer.forward(fromArray([[-3, 1, 5]])), [[-3, 2, 0, 7]], 0, 'seed 000: 462–495, z_in');
    });

    it('reproduces the first layer of the deep example of seed 000: 741–771 (z_in¹ = (79, −70, 9, −26))', () => {
      const layer = layerWith([[13, -8, 4, -3], [-9, 0, -1, 12], [2, 3, 5, 7]], [5, -2, 2, 11]);
      expectClose(layer.forward(fromArray([[7, 1, -4]])), [[79, -70, 9, -26]], 0, 'seed 000: 760–771, z_in¹');
    });

    it('backward on a 1×2 → 2 example worked by hand', () => {
      // W = [[1, 2], [3, 4]], x = [[1, −1]], E = [[1, 10]]: dx = E·Wᵀ = [[21, 43]], dW = xᵀ·E = [[1, 10], [−1, −10]], db = [1, 10].
      const layer = layerWith([[1, 2], [3, 4]], [0, 0]);
      layer.forward(fromArray([[1, -1]]));
      expectClose(layer.backward(fromArray([[1, 10]])), [[21, 43]], 0, 'FullyConnected.backward: ∂L/∂x = E·Wᵀ');
      expectClose(layer.weight.grad, [[1, 10], [-1, -10]], 0, 'FullyConnected weight.grad: ∂L/∂W = xᵀ·E');
      expectClose(layer.bias.grad, [1, 10], 0, 'FullyConnected bias.grad: ∂L/∂b = Σ over the batch of E');
    });
  });

  describe('bad input', () => {
    it('names the expected shape when the input has the wrong width', () => {
      const layer = new FullyConnected(4, 3, { rng: new Rng(0) });
      // A valid call first: on the stub this test fails with NotImplementedError instead of scoring for given code.
      expect(layer.forward(tensor(new Array(4).fill(0), [1, 4])).shape).toEqual([1, 3]);
      expect(() => layer.forward(tensor(new Array(10).fill(0), [2, 5]))).toThrow(new ShapeError('FullyConnected.forward expected input [batch, 4], got [2, 5]'));
    });

    it('rejects backward before forward, NaN input, and a gradient of the wrong shape', () => {
      const layer = new FullyConnected(2, 2, { rng: new Rng(0) });
      expect(() => layer.backward(tensor([1, 2], [1, 2]))).toThrow(StateError);
      expect(() => layer.forward(tensor([1, NaN], [1, 2]))).toThrow(NonFiniteError);
      layer.forward(tensor([1, 2], [1, 2]));
      expect(() => layer.backward(tensor([1, 2, 3], [1, 3]))).toThrow(ShapeError);
    });
  });

  describe('training', () => {
    it('a single FullyConnected layer learns Iris as softmax regression (test accuracy ≥ 0.9)', () => {
      // Only the layer is yours here: the loss and the update are test-local doubles.
      const rng = new Rng(11);
      const { train, test } = trainTestSplit(loadIris(), { rng });
      const normalize = standardizer(train.x);
      const layer = new FullyConnected(4, 3, { rng });
      const losses = trainDouble([layer], new SoftmaxCrossEntropyDouble(), (p) => sgdStepDouble(p, 0.5), normalize(train.x), train.y, 200);
      expect(losses.at(-1)!, 'the training loss should fall; check forward and the weight/bias gradients').toBeLessThan(losses[0] * 0.5);
      const predicted: Tensor = forwardAll([layer], normalize(test.x));
      expect(accuracy(predicted, test.y), 'test accuracy of a linear classifier on Iris').toBeGreaterThanOrEqual(0.9);
    });
  });
});
