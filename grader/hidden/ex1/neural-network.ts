import { NeuralNetwork } from '#impl/network/neural-network.js';
import { oneHot } from '../../../framework/data/one-hot.js';
import { Rng } from '../../../framework/random/rng.js';
import { tensor } from '../../../framework/tensor/create.js';
import { LinearDouble, MseDouble, RecordingLayer, SgdDouble, SoftmaxCrossEntropyDouble } from '../../case-doubles.js';
import { hiddenCases, intIn, numberData, parameterData, tensorData } from '../../case-api.js';

export default hiddenCases('ex1', 'NeuralNetwork', [
  {
    id: 'neural-network-hidden-fit-random',
    title: 'fit on random data with mini-batches: losses and final weights',
    points: 5,
    run: (rng) => {
      const inputs = intIn(rng, 1, 4);
      const outputs = intIn(rng, 1, 3);
      const examples = intIn(rng, 5, 12);
      const net = new NeuralNetwork({ loss: new MseDouble(), optimizer: new SgdDouble(0.05), rng: new Rng(rng.nextUint32()) });
      net.append(new LinearDouble(rng.normalTensor([inputs, outputs]), rng.normalTensor([outputs])));
      const data = { x: rng.normalTensor([examples, inputs]), y: rng.normalTensor([examples, outputs]) };
      const losses = net.fit({ data, iterations: 8, batchSize: intIn(rng, 2, 4) });
      return { losses: Array.from(losses, (loss) => numberData(loss, 'NeuralNetwork.fit')), parameters: parameterData(net.parameters(), 'NeuralNetwork.fit') };
    },
  },
  {
    id: 'neural-network-hidden-predict',
    title: 'predict runs forward in evaluation mode through three layers',
    points: 3,
    run: (rng) => {
      const log: string[] = [];
      const net = new NeuralNetwork({ loss: new MseDouble(), optimizer: new SgdDouble(0.1), rng: new Rng(1) });
      for (const label of ['a', 'b', 'c']) net.append(new RecordingLayer(label, rng.uniformIn(-2, 2), log));
      const output = tensorData(net.predict(rng.normalTensor([2, 3])), 'NeuralNetwork.predict');
      return { output, calls: log };
    },
  },
  {
    id: 'neural-network-hidden-fit-classifies-blobs',
    title: 'fit a linear classifier on two separable blobs (accuracy ≥ 0.9)',
    points: 4,
    compare: { kind: 'accuracy', threshold: 0.9 },
    run: (rng) => {
      const points = 40;
      const features: number[] = [];
      const labels: number[] = [];
      for (let i = 0; i < points; i++) {
        const label = i % 2;
        features.push((label ? 2 : -2) + 0.7 * rng.normal(), (label ? -1.5 : 1.5) + 0.7 * rng.normal());
        labels.push(label);
      }
      const x = tensor(features, [points, 2]);
      const net = new NeuralNetwork({ loss: new SoftmaxCrossEntropyDouble(), optimizer: new SgdDouble(0.5), rng: new Rng(rng.nextUint32()) });
      net.append(new LinearDouble(tensor([0.01, -0.02, 0.03, 0.01], [2, 2]), tensor([0, 0], [2])));
      net.fit({ data: { x, y: oneHot(labels, 2) }, iterations: 30, batchSize: 10 });
      const scores = tensorData(net.predict(x), 'NeuralNetwork.predict');
      const predictions = labels.map((_, i) => (scores.data[2 * i + 1] > scores.data[2 * i] ? 1 : 0));
      return { predictions, labels };
    },
  },
]);
