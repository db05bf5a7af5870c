import fc from 'fast-check';
import { fromArray, Parameter, tensor, ValueError, type Regularizer, type Tensor } from '../../framework/index.js';
import { Sgd } from '#impl/optimizers/sgd.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  fail,
  finite,
  gradient,
  intIn,
  knownValue,
  gradientData,
  numberData,
  parameterData,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { SoftmaxCrossEntropyDouble } from '../helpers/doubles.js';
import { IRIS_TRAINING, trainOnIris, verifyIrisTraining } from '../helpers/iris-training.js';
import { denseDouble } from '../helpers/dense-double.js';

/**
 * Exercise 1, Sgd: update(value, grad) returns w − η·g; BaseOptimizer (given) walks the parameters and
 * applies the regularizer to weights from the weights before the step. Handout: docs/exercises/1-feed-forward.md#sgd
 */

function parameterWith(values: number[], grad: number[], role: 'weight' | 'bias' = 'weight'): Parameter {
  const p = new Parameter(role === 'weight' ? 'w' : 'b', tensor(values, [values.length]), role);
  p.accumulate(tensor(grad, [grad.length]));
  return p;
}

/** A test-local L2 penalty (the real one is Exercise 3's): ∇R(w) = α·w, R(w) = α/2·Σw². */
function l2Double(alpha: number): Regularizer {
  return {
    name: 'L2Double',
    gradient: (w: Tensor) =>
      tensor(
        Array.from(w.data, (v) => alpha * v),
        w.shape,
      ),
    norm: (w: Tensor) => (alpha / 2) * Array.from(w.data).reduce((total, v) => total + v * v, 0),
  };
}

const learningRate = fc.double({ min: 1e-4, max: 1, noNaN: true });

export default componentChecks('ex1', 'Sgd', [
  property({
    title: 'a zero gradient changes nothing',
    run: (rng) =>
      drawSamples(fc.tuple(fc.array(finite(), { minLength: 1, maxLength: 10 }), learningRate), rng, 40).map(
        ([values, lr]) => {
          const p = new Parameter('w', tensor(values, [values.length]));
          new Sgd({ lr }).step([p]);
          return { values, lr, after: tensorData(p.value, 'the weight after Sgd.step') };
        },
      ),
    verify: (samples) =>
      samples.forEach(({ values, lr, after }, s) => {
        expectClose(
          after,
          values,
          0,
          `sample ${s}: Sgd.step (lr ${lr}) with a zero gradient must leave the weights unchanged`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'a step moves against the gradient by exactly lr·g',
    run: (rng) =>
      drawSamples(
        fc.tuple(fc.array(fc.tuple(finite(), finite()), { minLength: 1, maxLength: 10 }), learningRate),
        rng,
        40,
      ).map(([pairs, lr]) => {
        const p = parameterWith(
          pairs.map(([w]) => w),
          pairs.map(([, g]) => g),
        );
        new Sgd({ lr }).step([p]);
        return { pairs, lr, after: tensorData(p.value, 'the weight after Sgd.step') };
      }),
    verify: (samples) =>
      samples.forEach(({ pairs, lr, after }, s) => {
        expectClose(
          after,
          pairs.map(([w, g]) => w - lr * g),
          1e-12,
          `sample ${s}: Sgd.update with lr ${lr}: w ← w − lr·g (the step is scaled by the learning rate and goes against the gradient)`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'a step changes the value only: the gradient is left as it was for zeroGrad to clear',
    run: (rng) =>
      drawSamples(
        fc.tuple(fc.array(fc.tuple(finite(), finite()), { minLength: 1, maxLength: 10 }), learningRate),
        rng,
        30,
      ).map(([pairs, lr]) => {
        const p = parameterWith(
          pairs.map(([w]) => w),
          pairs.map(([, g]) => g),
        );
        new Sgd({ lr }).step([p]);
        return { gradient: pairs.map(([, g]) => g), after: tensorData(p.grad, 'the gradient after Sgd.step') };
      }),
    verify: (samples) =>
      samples.forEach(({ gradient, after }, s) => {
        expectClose(
          after,
          gradient,
          0,
          `sample ${s}: Sgd.step changed the parameter's gradient; update must return a new value and leave grad alone (build the result with sub and scale, do not write into grad)`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'three steps with random gradients and a random learning rate on parameters of random shape',
    run: (rng) => {
      const shape = [intIn(rng, 1, 4), intIn(rng, 1, 4)];
      const lr = rng.uniformIn(0.01, 1);
      const weight = new Parameter('weight', rng.normalTensor(shape));
      const bias = new Parameter('bias', rng.normalTensor([shape[1]]), 'bias');
      const start = parameterData([weight, bias], 'the parameters');
      const sgd = new Sgd({ lr });
      const gradients: Array<Record<string, TensorData>> = [];
      for (let step = 0; step < 3; step++) {
        sgd.zeroGrad([weight, bias]);
        weight.accumulate(rng.normalTensor(shape));
        bias.accumulate(rng.normalTensor([shape[1]]));
        gradients.push(gradientData([weight, bias], 'the gradients'));
        sgd.step([weight, bias]);
      }
      return { lr, start, gradients, end: parameterData([weight, bias], 'Sgd.step') };
    },
    verify: ({ lr, start, gradients, end }) => {
      for (const name of ['weight', 'bias']) {
        let value = start[name].data;
        for (const g of gradients) value = value.map((w, i) => w - lr * g[name].data[i]);
        expectClose(
          end[name],
          { shape: start[name].shape, data: value },
          1e-12,
          `${name} after three Sgd steps with lr ${lr}: w ← w − lr·g each step`,
        );
      }
    },
    hiddenRerun: true,
  }),
  property({
    title: 'with a regularizer double, a weight becomes w − lr·g − lr·α·w and a bias w − lr·g',
    run: (rng) => {
      const alpha = rng.uniformIn(0.01, 0.5);
      const lr = rng.uniformIn(0.01, 0.5);
      const weight = new Parameter('weight', rng.normalTensor([3, 2]));
      const bias = new Parameter('bias', rng.normalTensor([2]), 'bias');
      weight.accumulate(rng.normalTensor([3, 2]));
      bias.accumulate(rng.normalTensor([2]));
      const before = parameterData([weight, bias], 'the parameters');
      const grads = gradientData([weight, bias], 'the gradients');
      new Sgd({ lr, regularizer: l2Double(alpha) }).step([weight, bias]);
      return { alpha, lr, before, grads, after: parameterData([weight, bias], 'Sgd.step') };
    },
    verify: ({ alpha, lr, before, grads, after }) => {
      const w = before.weight.data.map((v, i) => v - lr * grads.weight.data[i] - lr * alpha * v);
      const b = before.bias.data.map((v, i) => v - lr * grads.bias.data[i]);
      expectClose(
        after.weight,
        { shape: before.weight.shape, data: w },
        1e-12,
        `weight after a step with an L2 double (α ${alpha}, lr ${lr}): update returns w − lr·g only; the given BaseOptimizer subtracts lr·∇R(w) (do not apply the regularizer yourself)`,
      );
      expectClose(
        after.bias,
        { shape: before.bias.shape, data: b },
        1e-12,
        'bias after a step with an L2 double: biases are never regularized',
      );
    },
    hiddenRerun: true,
  }),
  gradient({
    title: 'minimises a quadratic: w → 3 for L(w) = (w − 3)² with its exact gradient 2(w − 3)',
    run: () => {
      const p = new Parameter('w', fromArray([0]));
      const sgd = new Sgd({ lr: 0.1 });
      for (let i = 0; i < 100; i++) {
        sgd.zeroGrad([p]);
        p.accumulate(fromArray([2 * (p.value.data[0] - 3)]));
        sgd.step([p]);
      }
      return numberData(p.value.data[0], 'the weight after 100 Sgd steps');
    },
    verify: (w) => {
      if (!(Math.abs(w - 3) < 1e-6))
        fail(
          `after 100 steps of lr 0.1 on (w − 3)², w should be 3 (within 1e-6), but it is ${w}; check the sign and the lr in Sgd.update`,
        );
    },
  }),
  knownValue({
    title: 'three steps on fixed numbers worked by hand: w = 1, g = 0.5, lr = 0.2 gives 0.9, 0.8, 0.7',
    run: () => {
      const p = new Parameter('w', fromArray([1]));
      const sgd = new Sgd({ lr: 0.2 });
      const trajectory: number[] = [];
      for (let i = 0; i < 3; i++) {
        sgd.zeroGrad([p]);
        p.accumulate(fromArray([0.5]));
        sgd.step([p]);
        trajectory.push(numberData(p.value.data[0], 'the weight after Sgd.step'));
      }
      return trajectory;
    },
    verify: (trajectory) =>
      expectClose(
        { shape: [trajectory.length], data: trajectory },
        [0.9, 0.8, 0.7],
        1e-12,
        'w after each of three Sgd steps (1 − 0.2·0.5 per step)',
      ),
  }),
  knownValue({
    title: 'one step w ← w − η·g with η = 0.1 on three numbers',
    run: () => {
      const weight = new Parameter('weight', tensor([1, 2, 3], [3]));
      weight.accumulate(tensor([0.5, -1, 2], [3]));
      new Sgd({ lr: 0.1 }).step([weight]);
      return tensorData(weight.value, 'Sgd.step');
    },
    verify: (w) =>
      expectClose(w, [0.95, 2.1, 2.8], 1e-12, 'weight (1, 2, 3) with gradient (0.5, −1, 2) after one step of lr 0.1'),
  }),
  knownValue({
    title: 'two steps of lr 0.5 on a 2 × 2 weight and a bias',
    run: () => {
      const weight = new Parameter('weight', tensor([1, -1, 0.5, 2], [2, 2]));
      const bias = new Parameter('bias', tensor([0, 1], [2]), 'bias');
      const sgd = new Sgd({ lr: 0.5 });
      for (const s of [1, -2]) {
        sgd.zeroGrad([weight, bias]);
        weight.accumulate(tensor([s, 0, -s, 1], [2, 2]));
        bias.accumulate(tensor([s, s], [2]));
        sgd.step([weight, bias]);
      }
      return parameterData([weight, bias], 'Sgd.step');
    },
    verify: ({ weight, bias }) => {
      // W: (1, −1, 0.5, 2) − 0.5·(1, 0, −1, 1) − 0.5·(−2, 0, 2, 1) = (1.5, −1, 0, 1); b: (0, 1) − 0.5·(1, 1) − 0.5·(−2, −2) = (0.5, 1.5).
      expectClose(
        weight,
        [
          [1.5, -1],
          [0, 1],
        ],
        1e-12,
        'weight after two Sgd steps',
      );
      expectClose(bias, [0.5, 1.5], 1e-12, 'bias after two Sgd steps');
    },
  }),
  knownValue({
    title: 'applies a regularizer to weights only, from the weights before the step (DESIGN §3): 1.8 and 1.9',
    run: () => {
      // A test-local L2 double: ∇R(w) = α·w with α = 0.5. w = 2, g = 1, lr = 0.1: 2 − 0.1·1 − 0.1·0.5·2 = 1.8.
      const weight = parameterWith([2], [1]);
      const bias = parameterWith([2], [1], 'bias');
      new Sgd({ lr: 0.1, regularizer: l2Double(0.5) }).step([weight, bias]);
      return { weight: tensorData(weight.value, 'Sgd.step'), bias: tensorData(bias.value, 'Sgd.step') };
    },
    verify: ({ weight, bias }) => {
      expectClose(
        weight,
        [1.8],
        1e-12,
        'weight 2 with gradient 1, lr 0.1 and an L2 double of α 0.5: 2 − 0.1·1 − 0.1·0.5·2 (BaseOptimizer applies the penalty; update must not add it again)',
      );
      expectClose(bias, [1.9], 1e-12, 'bias 2 with gradient 1 and lr 0.1: biases are never regularized');
    },
  }),
  badInput({
    title: 'rejects a learning rate that is not a positive number',
    run: () => {
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const p = parameterWith([1, 2], [3, 4]);
      new Sgd({ lr: 0.5 }).step([p]);
      return {
        after: tensorData(p.value, 'Sgd.step'),
        negative: thrown(() => new Sgd({ lr: -1 })),
        nan: thrown(() => new Sgd({ lr: NaN })),
      };
    },
    verify: ({ after, negative, nan }) => {
      expectClose(after, [-0.5, 0], 1e-12, 'Sgd.step with lr 0.5');
      expectError(negative, ValueError.name, 'new Sgd({ lr: −1 })');
      expectError(nan, ValueError.name, 'new Sgd({ lr: NaN })', ['learning rate']);
    },
  }),
  badInput({
    title: 'zeroGrad clears accumulated gradients',
    run: () => {
      const p = parameterWith([1, 2], [3, 4]);
      const sgd = new Sgd({ lr: 0.1 });
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      sgd.step([p]);
      const after = tensorData(p.value, 'Sgd.step');
      sgd.zeroGrad([p]);
      return { after, grad: tensorData(p.grad, 'Sgd.zeroGrad') };
    },
    verify: ({ after, grad }) => {
      expectClose(after, [0.7, 1.6], 1e-12, 'Sgd.step with lr 0.1');
      expectClose(grad, [0, 0], 0, 'the gradient after Sgd.zeroGrad');
    },
  }),
  training({
    title: 'trains a linear classifier (test doubles) to ≥ 0.9 test accuracy on Iris',
    // The layer and the loss are test-local doubles: only the update is yours.
    run: () => {
      const sgd = new Sgd({ lr: IRIS_TRAINING.lr });
      return trainOnIris({
        seed: 19,
        layers: (rng) => [denseDouble(4, 3, rng, 'uniform')],
        loss: new SoftmaxCrossEntropyDouble(),
        step: (parameters) => {
          sgd.step(parameters);
          sgd.zeroGrad(parameters);
        },
        what: 'the linear double',
      });
    },
    verify: (data) =>
      verifyIrisTraining(data, { lossHint: 'check Sgd.update', network: 'a linear layer trained with your Sgd' }),
    matchReference: false,
  }),
]);
