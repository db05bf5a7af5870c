import { NeuralNetwork } from '#impl/network/neural-network.js';
import { Rng } from '../../../framework/random/rng.js';
import { tensor } from '../../../framework/tensor/create.js';
import { LinearDouble, MseDouble, RecordingLayer, SgdDouble } from '../../case-doubles.js';
import { numberData, parameterData, publicCases, tensorData } from '../../case-api.js';

function network(): NeuralNetwork {
  return new NeuralNetwork({ loss: new MseDouble(), optimizer: new SgdDouble(0.1), rng: new Rng(7) });
}

export default publicCases('ex1', 'NeuralNetwork', [
  {
    id: 'neural-network-forward-chains-layers',
    title: 'forward runs the layers in order',
    run: () => {
      const log: string[] = [];
      const net = network();
      net.append(new RecordingLayer('first', 2, log));
      net.append(new RecordingLayer('second', -3, log));
      return { output: tensorData(net.forward(tensor([1, 2, 3], [1, 3])), 'NeuralNetwork.forward'), calls: log };
    },
  },
  {
    id: 'neural-network-backward-reverse-order',
    title: 'backward starts from the loss gradient and runs the layers in reverse',
    run: () => {
      const log: string[] = [];
      const net = network();
      net.append(new RecordingLayer('first', 2, log));
      net.append(new RecordingLayer('second', 0.5, log));
      const prediction = net.forward(tensor([1, -1], [1, 2]));
      net.computeLoss(prediction, tensor([0, 0], [1, 2]));
      return { gradInput: tensorData(net.backward(), 'NeuralNetwork.backward'), calls: log };
    },
  },
  {
    id: 'neural-network-fit-losses',
    title: 'fit: zero the gradients, forward, loss, backward, step, for 5 iterations',
    run: () => {
      const net = network();
      net.append(new LinearDouble(tensor([0.5, -0.5], [2, 1]), tensor([0], [1])));
      const data = { x: tensor([1, 2, 2, 0, -1, 1, 0, -2], [4, 2]), y: tensor([1, 2, 0, -1], [4, 1]) };
      const losses = net.fit({ data, iterations: 5, batchSize: 4 });
      if (!Array.isArray(losses)) return { losses: 'fit did not return an array' };
      return { losses: losses.map((loss) => numberData(loss, 'NeuralNetwork.fit')), parameters: parameterData(net.parameters(), 'NeuralNetwork.fit') };
    },
  },
]);
