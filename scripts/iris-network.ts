import type { Rng } from '../framework/index.js';
import { FullyConnected } from '../solutions/layers/fully-connected.js';
import { ReLU } from '../solutions/activations/relu.js';
import { SoftMax } from '../solutions/activations/softmax.js';
import { CrossEntropyLoss } from '../solutions/losses/cross-entropy-loss.js';
import { Sgd } from '../solutions/optimizers/sgd.js';
import { NeuralNetwork } from '../solutions/network/neural-network.js';

/** The Exercise 1 network on Iris, from the reference solution: FC(4→10) → ReLU → FC(10→3) → SoftMax. */
export function buildIrisNetwork(options: { rng: Rng; lr: number; hidden?: number }): NeuralNetwork {
  const network = new NeuralNetwork({
    optimizer: new Sgd({ lr: options.lr }),
    loss: new CrossEntropyLoss(),
    rng: options.rng,
  });
  const hidden = options.hidden ?? 10;
  network.append(new FullyConnected(4, hidden, { rng: options.rng }));
  network.append(new ReLU());
  network.append(new FullyConnected(hidden, 3, { rng: options.rng }));
  network.append(new SoftMax());
  return network;
}
