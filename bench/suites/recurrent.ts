/**
 * Exercise 4 benchmark: forward + backward time of the reference RNN and LSTM on one batch of
 * sequences, length 32, batch 16, input 64, hidden 128 (output 64), float64 on the CPU.
 * One JSON line per layer: median and spread over the timed repeats, after warm-up.
 */
import { Rng } from '../../framework/index.js';
import { LSTM } from '../../solutions/layers/lstm.js';
import { RNN } from '../../solutions/layers/rnn.js';

const shape = { batch: 16, time: 32, inputSize: 64, hiddenSize: 128, outputSize: 64 };

export default async function* recurrent(options: { quick: boolean }): AsyncGenerator<Record<string, unknown>> {
  const warmup = options.quick ? 2 : 5;
  const repeats = options.quick ? 5 : 30;
  const rng = new Rng(1);
  const x = rng.normalTensor([shape.batch, shape.time, shape.inputSize]);
  const gradOutput = rng.normalTensor([shape.batch, shape.time, shape.outputSize]);
  for (const Layer of [RNN, LSTM]) {
    const layer = new Layer({ inputSize: shape.inputSize, hiddenSize: shape.hiddenSize, outputSize: shape.outputSize, rng });
    const forwardTimes: number[] = [];
    const totalTimes: number[] = [];
    for (let run = 0; run < warmup + repeats; run++) {
      const start = performance.now();
      layer.forward(x);
      const afterForward = performance.now();
      layer.backward(gradOutput);
      const end = performance.now();
      if (run >= warmup) {
        forwardTimes.push(afterForward - start);
        totalTimes.push(end - start);
      }
      for (const parameter of layer.parameters()) parameter.zeroGrad();
    }
    yield {
      suite: 'recurrent',
      name: `${layer.name} forward+backward`,
      ...shape,
      dtype: 'float64',
      backend: 'cpu',
      repeats,
      ms_forward_backward: median(totalTimes),
      ms_forward_backward_min: Math.min(...totalTimes),
      ms_forward_backward_max: Math.max(...totalTimes),
      ms_forward: median(forwardTimes),
    };
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
