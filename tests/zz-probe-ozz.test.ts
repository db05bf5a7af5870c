import { it } from 'vitest';
import { Rng } from '/work/main/framework/index.js';
import { DenseDouble, ReluDouble, trainOnDigits, digitsSplit } from '/work/main/tests/helpers/cnn-doubles.js';
import { SgdMomentum } from '/work/main/solutions/optimizers/sgd-momentum.js';
import { Adam } from '/work/main/solutions/optimizers/adam.js';
import { AdamW } from '/work/main/solutions/optimizers/adamw.js';
import { Nesterov } from '/work/main/solutions/optimizers/nesterov.js';
import { AdaGrad } from '/work/main/solutions/optimizers/adagrad.js';
import { RMSProp } from '/work/main/solutions/optimizers/rmsprop.js';
it('probe', () => {
  let t = Date.now(); digitsSplit(); console.log('load', Date.now() - t);
  const makers: [string, () => any][] = [['SgdMomentum', () => new SgdMomentum({ lr: 0.05 })], ['Adam', () => new Adam({ lr: 0.01 })], ['AdamW', () => new AdamW({ lr: 0.01 })], ['Nesterov', () => new Nesterov({ lr: 0.05 })], ['AdaGrad', () => new AdaGrad({ lr: 0.1 })], ['RMSProp', () => new RMSProp({ lr: 0.005 })]];
  for (const [name, make] of makers) for (const iters of [60, 100, 150, 300]) for (const seed of [17, 18, 19]) {
    t = Date.now();
    const rng = new Rng(seed);
    const acc = trainOnDigits([new DenseDouble(64, 32, rng), new ReluDouble(), new DenseDouble(32, 10, rng)], make(), { iterations: iters, batchSize: 32, seed: seed + 6, flat: true });
    console.log(name, iters, seed, acc.toFixed(3), Date.now() - t, 'ms');
  }
}, 600000);
