import { describe, expect, it } from 'vitest';
import {
  add,
  addScalar,
  BaseOptimizer,
  div,
  loadWeights,
  mul,
  NonFiniteError,
  Parameter,
  Rng,
  saveWeights,
  scale,
  selectRows,
  sqrt,
  sub,
  tensor,
  ValueError,
  zerosOn,
  type Layer,
  type LearningRateSchedule,
  type OptimizerOptions,
  type Tensor,
} from '../../framework/index.js';
import { Rectifier } from '../helpers/test-layers.js';
import { denseDouble } from '../helpers/dense-double.js';
import { PlainAdam } from '../helpers/test-optimizers.js';
import { forwardAll, LogitsCrossEntropy, parametersOf } from '../helpers/test-training.js';
import { noisyBlobs } from '../helpers/overfitting.js';

/**
 * BaseOptimizer's learning-rate schedule and checkpoints (DESIGN §3 "state (given)"). The optimizers
 * here are test doubles built on BaseOptimizer with the update rules of Sgd, SgdMomentum and Adam
 * (framework tests never use a student's code).
 */
class SgdDouble extends BaseOptimizer {
  readonly name = 'Sgd';
  constructor(options: { lr: number } & OptimizerOptions) {
    super(options.lr, options);
  }
  protected update(value: Tensor, grad: Tensor): Tensor {
    const rate = this.learningRate;
    return sub(value, scale(grad, rate));
  }
}

class MomentumDouble extends BaseOptimizer {
  readonly name = 'SgdMomentum';
  constructor(options: { lr: number } & OptimizerOptions) {
    super(options.lr, options);
  }
  protected update(value: Tensor, grad: Tensor, state: Map<string, Tensor | number>): Tensor {
    const v = sub(scale((state.get('v') as Tensor | undefined) ?? zerosOn(value), 0.9), scale(grad, this.learningRate));
    state.set('v', v);
    return add(value, v);
  }
}

class AdamDouble extends BaseOptimizer {
  readonly name = 'Adam';
  constructor(options: { lr: number } & OptimizerOptions) {
    super(options.lr, options);
  }
  protected update(value: Tensor, grad: Tensor, state: Map<string, Tensor | number>): Tensor {
    const t = ((state.get('t') as number | undefined) ?? 0) + 1;
    const m = add(scale((state.get('m') as Tensor | undefined) ?? zerosOn(value), 0.9), scale(grad, 0.1));
    const v = add(
      scale((state.get('v') as Tensor | undefined) ?? zerosOn(value), 0.999),
      scale(mul(grad, grad), 0.001),
    );
    state.set('t', t);
    state.set('m', m);
    state.set('v', v);
    const update = div(scale(m, 1 / (1 - 0.9 ** t)), addScalar(sqrt(scale(v, 1 / (1 - 0.999 ** t))), 1e-8));
    return sub(value, scale(update, this.learningRate));
  }
}

/** A schedule double: halves the rate every 3 updates (so a resumed step count matters). */
const halving = (lr: number): LearningRateSchedule => ({
  name: 'Halving (test double)',
  lr,
  at: (step) => lr * 0.5 ** Math.floor(step / 3),
});

const { train } = noisyBlobs();
const batchRng = new Rng(5);
const BATCHES = Array.from({ length: 14 }, () => Array.from({ length: 16 }, () => batchRng.int(train.x.shape[0])));

function network(seed: number): Layer[] {
  const rng = new Rng(seed);
  return [denseDouble(8, 12, rng, 'uniform-weights'), new Rectifier(), denseDouble(12, 4, rng, 'uniform-weights')];
}

function trainSteps(layers: readonly Layer[], optimizer: BaseOptimizer, from: number, to: number): void {
  const loss = new LogitsCrossEntropy();
  const parameters = parametersOf(layers);
  for (let step = from; step < to; step++) {
    optimizer.zeroGrad(parameters);
    loss.forward(forwardAll(layers, selectRows(train.x, BATCHES[step])), selectRows(train.y, BATCHES[step]));
    let gradient = loss.backward();
    for (let i = layers.length - 1; i >= 0; i--) gradient = layers[i].backward(gradient);
    optimizer.step(parameters);
  }
}

const bits = (layers: readonly Layer[]): string[] =>
  parametersOf(layers).map((p) => Buffer.from(new Float64Array(p.value.data).buffer).toString('hex'));

const KINDS: [string, (options: { lr: number } & OptimizerOptions) => BaseOptimizer, number][] = [
  ['Sgd', (o) => new SgdDouble(o), 0.3],
  ['SgdMomentum', (o) => new MomentumDouble(o), 0.1],
  ['Adam', (o) => new AdamDouble(o), 0.01],
  ['PlainAdam (in-place moments)', (o) => new PlainAdam(o), 0.01],
];

describe('framework BaseOptimizer state() / loadState()', () => {
  for (const [kind, make, lr] of KINDS) {
    for (const withSchedule of [false, true]) {
      it(`${kind}${withSchedule ? ' with a schedule' : ''}: stopped after 6 steps, saved through JSON and resumed, gives bit-identical weights to 14 steps straight`, () => {
        const options = withSchedule ? { lr, schedule: halving(lr) } : { lr };
        const straight = network(1);
        trainSteps(straight, make(options), 0, 14);

        const first = network(1);
        const optimizer = make(options);
        trainSteps(first, optimizer, 0, 6);
        const checkpoint = JSON.stringify({ weights: saveWeights(first), optimizer: optimizer.state() });

        const resumed = network(99); // other initial weights: everything must come from the checkpoint
        const restored = JSON.parse(checkpoint) as { weights: unknown; optimizer: unknown };
        loadWeights(resumed, restored.weights);
        const fresh = make(options);
        fresh.loadState(restored.optimizer);
        expect(fresh.stepCount).toBe(6);
        trainSteps(resumed, fresh, 6, 14);
        expect(bits(resumed)).toEqual(bits(straight));
      });
    }
  }

  it('the state is plain, versioned data: { version: 1, name, step, slots } with one slot per parameter in order', () => {
    const layers = network(1);
    const adam = new AdamDouble({ lr: 0.01 });
    trainSteps(layers, adam, 0, 2);
    const state = adam.state();
    expect(state.version).toBe(1);
    expect(state.name).toBe('Adam');
    expect(state.step).toBe(2);
    expect(state.slots.map((slot) => [slot.parameter, slot.shape])).toEqual([
      ['weight', [8, 12]],
      ['bias', [12]],
      ['weight', [12, 4]],
      ['bias', [4]],
    ]);
    expect(state.slots[0].values.t).toBe(2);
    expect(Object.keys(state.slots[0].values).sort()).toEqual(['m', 't', 'v']);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    // A copy: stepping on does not change a state already taken.
    const before = JSON.stringify(state);
    trainSteps(layers, adam, 2, 3);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('a state loaded before the first step waits for it, and state() before that step returns it unchanged', () => {
    const source = new MomentumDouble({ lr: 0.1 });
    trainSteps(network(1), source, 0, 3);
    const target = new MomentumDouble({ lr: 0.1 });
    target.loadState(JSON.parse(JSON.stringify(source.state())));
    expect(target.state()).toEqual(source.state());
  });

  it("refuses another optimizer's state, another version and malformed data with a ValueError that says so", () => {
    const sgd = new SgdDouble({ lr: 0.1 });
    trainSteps(network(1), sgd, 0, 1);
    const state = sgd.state();
    expect(() => new AdamDouble({ lr: 0.1 }).loadState(state)).toThrow(/saved by Sgd, not by Adam/);
    expect(() => new SgdDouble({ lr: 0.1 }).loadState({ ...state, version: 2 })).toThrow(/version 2/);
    expect(() => new SgdDouble({ lr: 0.1 }).loadState(null)).toThrow(ValueError);
    expect(() => new SgdDouble({ lr: 0.1 }).loadState({ ...state, step: -1 })).toThrow(/not an optimizer state/);
    const momentum = new MomentumDouble({ lr: 0.1 });
    trainSteps(network(1), momentum, 0, 1);
    const broken = structuredClone(momentum.state()) as unknown as { slots: { values: { v: { data: number[] } } }[] };
    broken.slots[0].values.v.data.pop();
    expect(() => new MomentumDouble({ lr: 0.1 }).loadState(broken)).toThrow(/slot 0 'v'/);
  });

  it('refuses a state for another parameter set: at once after a step, else at the next step', () => {
    const source = new MomentumDouble({ lr: 0.1 });
    trainSteps(network(1), source, 0, 2);
    const state = source.state();
    const other = [new Parameter('weight', tensor([1, 2, 3], [3]))];
    const stepped = new MomentumDouble({ lr: 0.1 });
    stepped.step(other);
    expect(() => stepped.loadState(state)).toThrow(/saved state is for 4 parameters .* steps 1/);
    const waiting = new MomentumDouble({ lr: 0.1 });
    waiting.loadState(state);
    expect(() => waiting.step(other)).toThrow(/SgdMomentum.loadState: the saved state is for 4 parameters/);
    const fresh = new MomentumDouble({ lr: 0.1 });
    fresh.loadState(state);
    expect(() => fresh.step(parametersOf(network(1)).reverse())).toThrow(/in the same order/);
  });
});

describe('framework BaseOptimizer { schedule }', () => {
  it('update k (counted from 0) uses schedule.at(k); without a schedule learningRate is lr', () => {
    const seen: number[] = [];
    class Recording extends SgdDouble {
      protected override update(value: Tensor, grad: Tensor): Tensor {
        seen.push(this.learningRate);
        return super.update(value, grad);
      }
    }
    const parameter = new Parameter('weight', tensor([1], [1]));
    const optimizer = new Recording({ lr: 0.8, schedule: halving(0.8) });
    expect(optimizer.learningRate).toBe(0.8);
    for (let k = 0; k < 7; k++) optimizer.step([parameter]);
    expect(seen).toEqual([0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2]);
    expect(optimizer.stepCount).toBe(7);
    expect(optimizer.learningRate).toBe(0.2);
    expect(new SgdDouble({ lr: 0.3 }).learningRate).toBe(0.3);
  });

  it("refuses a schedule whose base rate differs from the optimizer's lr, and a schedule that returns NaN", () => {
    expect(() => new SgdDouble({ lr: 0.1, schedule: halving(0.2) })).toThrow(
      /starts at lr = 0.2 but the optimizer's lr is 0.1/,
    );
    const broken: LearningRateSchedule = { name: 'Broken', lr: 0.1, at: () => NaN };
    expect(() =>
      new SgdDouble({ lr: 0.1, schedule: broken }).step([new Parameter('weight', tensor([1], [1]))]),
    ).toThrow(NonFiniteError);
  });
});
