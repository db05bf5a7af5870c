/**
 * Exercise 4 benchmark: forward + backward time of the reference RNN and LSTM on one batch of
 * sequences, length 32, batch 16, input 64, hidden 128 (output 64), float64 on the CPU.
 * One JSON line per layer, median ms over the repeats of bench/lib/timing.ts, after warm-up.
 *
 *   npm run bench -- recurrent
 */
import { Rng } from '../../framework/index.js';
import { LSTM } from '../../solutions/layers/lstm.js';
import { RNN } from '../../solutions/layers/rnn.js';
import { medianMsPerUnit, timingFor } from '../lib/timing.js';

const shape = { batch: 16, time: 32, inputSize: 64, hiddenSize: 128, outputSize: 64 };

export default async function* recurrent(options: { quick: boolean }): AsyncGenerator<Record<string, unknown>> {
  const timing = timingFor(options.quick);
  const rng = new Rng(1);
  const x = rng.normalTensor([shape.batch, shape.time, shape.inputSize]);
  const gradOutput = rng.normalTensor([shape.batch, shape.time, shape.outputSize]);
  for (const Layer of [RNN, LSTM]) {
    const layer = new Layer({
      inputSize: shape.inputSize,
      hiddenSize: shape.hiddenSize,
      outputSize: shape.outputSize,
      rng,
    });
    const forward = medianMsPerUnit((count) => {
      for (let k = 0; k < count; k++) layer.forward(x);
    }, timing);
    const forwardBackward = medianMsPerUnit((count) => {
      for (let k = 0; k < count; k++) {
        layer.forward(x);
        layer.backward(gradOutput);
      }
      // Gradients accumulate; zero them so repeated runs do not grow the numbers.
      for (const parameter of layer.parameters()) parameter.zeroGrad();
    }, timing);
    yield {
      suite: 'recurrent',
      name: `${layer.name} forward+backward`,
      ...shape,
      dtype: 'float64',
      backend: 'cpu',
      ms_forward_backward: forwardBackward,
      ms_forward: forward,
    };
  }
}
