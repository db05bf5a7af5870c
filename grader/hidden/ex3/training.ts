import { hiddenCases } from '../../case-api.js';
import { evalPhase, trainAndPredict } from '../../cases/ex3/training.js';

export default hiddenCases('ex3', 'RegularizationTraining', [
  {
    id: 'regularization-training-hidden-eval-phase',
    title: 'running statistics, eval output and eval gradients of the network from other weights and images',
    points: 3,
    run: (rng) => evalPhase(rng),
  },
  {
    id: 'regularization-training-hidden-learns-strokes',
    title: 'trained from another seed, it classifies other held-out stroke images in eval mode with accuracy ≥ 0.75',
    points: 4,
    compare: { kind: 'accuracy', threshold: 0.75 },
    run: (rng) => trainAndPredict(rng, 60),
  },
]);
