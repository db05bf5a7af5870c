import { Rng } from '../../../framework/random/rng.js';
import { strokeImages } from '../../case-doubles.js';
import { hiddenCases } from '../../case-api.js';
import { digitsCnn, oneStep, trainAndPredict } from '../../cases/ex2/digits-cnn.js';

export default hiddenCases('ex2', 'DigitsCNN', [
  {
    id: 'digits-cnn-hidden-learns-strokes',
    title: 'trained from another seed, it classifies other held-out stroke images with accuracy ≥ 0.85',
    points: 4,
    compare: { kind: 'accuracy', threshold: 0.85 },
    run: (rng) => trainAndPredict(rng, 40),
  },
  {
    id: 'digits-cnn-hidden-one-step-random-weights',
    title: 'one Adam step of the whole CNN from random weights on a random batch',
    points: 2,
    run: (rng) => {
      const layers = digitsCnn(new Rng(rng.nextUint32()));
      for (const layer of layers) for (const parameter of layer.parameters()) parameter.assign(rng.normalTensor(parameter.value.shape, 0, 0.3));
      const { x, y } = strokeImages(rng, 2 + rng.int(6));
      return oneStep(layers, x, y);
    },
  },
]);
