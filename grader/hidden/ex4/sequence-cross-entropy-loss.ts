import { SequenceCrossEntropyLoss } from '#impl/losses/sequence-cross-entropy-loss.js';
import { oneHotSequences } from '../../../framework/data/characters.js';
import type { Rng } from '../../../framework/random/rng.js';
import { hiddenCases, intIn, numberData, tensorData } from '../../case-api.js';

/** Random logits [batch, time, classes] and random one-hot targets of the same shape. */
function randomBatch(rng: Rng, batch: number, time: number, scale = 3) {
  const classes = intIn(rng, 2, 7);
  const labels = Array.from({ length: batch }, () => Array.from({ length: time }, () => rng.int(classes)));
  return { logits: rng.normalTensor([batch, time, classes], 0, scale), target: oneHotSequences(labels, classes) };
}

function lossAndGradient(loss: SequenceCrossEntropyLoss, batch: ReturnType<typeof randomBatch>) {
  const value = numberData(loss.forward(batch.logits, batch.target), 'SequenceCrossEntropyLoss.forward');
  return { loss: value, gradient: tensorData(loss.backward(), 'SequenceCrossEntropyLoss.backward') };
}

export default hiddenCases('ex4', 'SequenceCrossEntropyLoss', [
  {
    id: 'sequence-cross-entropy-hidden-mean-random',
    title: "reduction 'mean' on random sizes: loss and gradient",
    points: 3,
    run: (rng) => lossAndGradient(new SequenceCrossEntropyLoss(), randomBatch(rng, intIn(rng, 1, 4), intIn(rng, 1, 7))),
  },
  {
    id: 'sequence-cross-entropy-hidden-sum-random',
    title: "reduction 'sum' on random sizes: loss and gradient",
    points: 2,
    run: (rng) => lossAndGradient(new SequenceCrossEntropyLoss({ reduction: 'sum' }), randomBatch(rng, intIn(rng, 1, 4), intIn(rng, 1, 7))),
  },
  {
    id: 'sequence-cross-entropy-hidden-single-step',
    title: 'a batch of one sequence of one step',
    points: 1,
    run: (rng) => lossAndGradient(new SequenceCrossEntropyLoss(), randomBatch(rng, 1, 1)),
  },
  {
    id: 'sequence-cross-entropy-hidden-extreme-logits',
    title: 'logits in the hundreds stay finite',
    points: 2,
    run: (rng) => lossAndGradient(new SequenceCrossEntropyLoss(), randomBatch(rng, intIn(rng, 1, 3), intIn(rng, 2, 5), 400)),
  },
]);
