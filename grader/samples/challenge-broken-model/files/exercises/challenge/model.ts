import { Rng } from '../../framework/random/rng.js';
import { Flatten } from '../layers/flatten.js';
import { FullyConnected } from '../layers/fully-connected.js';
import { SoftmaxCrossEntropyLoss } from '../losses/softmax-cross-entropy-loss.js';
import { NeuralNetwork } from '../network/neural-network.js';
import { Adam } from '../optimizers/adam.js';

// A half-finished edit: the call below is never closed, so the file does not compile.
export function buildModel(seed = 7): NeuralNetwork {
  const rng = new Rng(seed);
  const network = new NeuralNetwork({ rng, loss: new SoftmaxCrossEntropyLoss(), optimizer: new Adam({ lr: 0.002 }) });
  network.append(new Flatten());
  network.append(new FullyConnected(28 * 28, 10, { rng });
  return network;
}
