import { describe, expect, it } from 'vitest';
import {
  accuracy, DataLoader, loadIris, moveParametersTo, Rng, standardizer, trainStepOnDevice, trainTestSplit, type Device,
} from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import '#impl/kernels/index.js';
import { FullyConnected } from '#impl/layers/fully-connected.js';
import { ReLU } from '#impl/activations/relu.js';
import { SoftMax } from '#impl/activations/softmax.js';
import { CrossEntropyLoss } from '#impl/losses/cross-entropy-loss.js';
import { Sgd } from '#impl/optimizers/sgd.js';
import { NeuralNetwork } from '#impl/network/neural-network.js';
import { describeOnGpu, webgpuForTests } from '../helpers/webgpu.js';

/**
 * Exercise 5 end to end: the Exercise 1 network (FC 4→10, ReLU, FC 10→3, SoftMax, cross-entropy,
 * SGD) trained on Iris with every layer on the GPU: your ReLU, matmul and softmax kernels forward,
 * ReLU and matmul backward, the framework's kernels for the rest. The same loop on the CPU (float64)
 * is the reference. Needs every kernel of the exercise: if only this fails, run the others first.
 * Handout: docs/exercises/5-webgpu.md#training-on-the-gpu
 */
const gpu = await webgpuForTests();
const ITERATIONS = 300;

async function train(device: Device): Promise<{ losses: number[]; accuracy: number }> {
  const rng = new Rng(1);
  const { train: trainSet, test } = trainTestSplit(loadIris(), { rng });
  const normalize = standardizer(trainSet.x);
  const network = new NeuralNetwork({ optimizer: new Sgd({ lr: 0.1 }), loss: new CrossEntropyLoss(), rng });
  network.append(new FullyConnected(4, 10, { rng }));
  network.append(new ReLU());
  network.append(new FullyConnected(10, 3, { rng }));
  network.append(new SoftMax());
  await moveParametersTo(network, device);
  const loader = new DataLoader({ x: normalize(trainSet.x), y: trainSet.y }, { batchSize: 100, shuffle: true, rng });
  const losses: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) losses.push(await trainStepOnDevice(network, loader.next(), device));
  const prediction = await network.predict(await normalize(test.x).to(device)).to('cpu');
  return { losses, accuracy: accuracy(prediction, test.y) };
}

describeOnGpu(gpu, 'ex5 GpuTraining', () => {
  describe('training', () => {
    it(`the Exercise 1 network trains on the GPU to the CPU's accuracy on Iris (${ITERATIONS} iterations)`, async () => {
      const matmulsBefore = gpuDispatchCount('matmulTiled') + gpuDispatchCount('matmulNaive');
      const reluBefore = gpuDispatchCount('reluBackward');
      const onGpu = await train('webgpu');
      const onCpu = await train('cpu');
      // forward 2 + backward 4 matmuls per iteration, plus the prediction's 2
      expect(gpuDispatchCount('matmulTiled') + gpuDispatchCount('matmulNaive') - matmulsBefore, 'every matmul should run on the GPU').toBe(6 * ITERATIONS + 2);
      expect(gpuDispatchCount('reluBackward') - reluBefore).toBe(ITERATIONS);
      // float32 and float64 follow the same path: the losses agree closely all along.
      for (const i of [0, 1, 10, 100, ITERATIONS - 1]) {
        expect(Math.abs(onGpu.losses[i] - onCpu.losses[i]), `loss at iteration ${i}: GPU ${onGpu.losses[i]}, CPU ${onCpu.losses[i]}`).toBeLessThan(1e-3);
      }
      expect(onGpu.losses.at(-1)!, 'the loss should fall').toBeLessThan(onGpu.losses[0] / 2);
      expect(onGpu.accuracy, `GPU test accuracy ${onGpu.accuracy} vs CPU ${onCpu.accuracy}`).toBe(onCpu.accuracy);
      expect(onGpu.accuracy).toBeGreaterThanOrEqual(0.9);
    });
  });
});
