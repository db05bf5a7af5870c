import { ValueError } from '../errors.js';
import { zerosOn } from '../ops/arithmetic.js';
import type { Dataset } from '../data/dataset.js';
import type { Device, Tensor } from '../tensor/tensor.js';
import type { Network } from './network.js';

/**
 * Training with the network's tensors on another device (WebGPU). `NeuralNetwork.fit` stays
 * synchronous and CPU-only; these two helpers are its asynchronous twin, because reading a tensor
 * back from the GPU is asynchronous. The loss still runs on the CPU (losses read `data`).
 *
 *   await moveParametersTo(network, 'webgpu');
 *   for (…) losses.push(await trainStepOnDevice(network, loader.next(), 'webgpu'));
 *
 * Handout: docs/exercises/5-webgpu.md#training-on-the-gpu
 */

/** Moves every parameter (value and a fresh zero gradient) of the network's layers to `device`. */
export async function moveParametersTo(network: Network, device: Device): Promise<void> {
  for (const parameter of network.layers.flatMap((layer) => layer.parameters())) {
    parameter.value = await parameter.value.to(device);
    parameter.grad = zerosOn(parameter.value);
  }
}

/**
 * One iteration, as in `NeuralNetwork.fit` (seed 000: 1033–1049):
 *   zero the gradients; ŷ = forward(x) on the device; L = loss(ŷ, y) on the CPU;
 *   E = ∂L/∂ŷ back to the device; backward through the layers in reverse; optimizer step there.
 * Returns the loss. Regularizers are not supported here (their norm is a CPU reduction).
 */
export async function trainStepOnDevice(network: Network, batch: Dataset, device: Device): Promise<number> {
  if (network.optimizer.regularizer) {
    throw new ValueError(
      'trainStepOnDevice: regularizers run on the CPU only; train without one, or with NeuralNetwork.fit on the CPU',
    );
  }
  const parameters = network.layers.flatMap((layer) => layer.parameters());
  network.optimizer.zeroGrad(parameters);
  const prediction = network.forward(await batch.x.to(device));
  const loss = network.loss.forward(await prediction.to('cpu'), batch.y);
  let gradient: Tensor = await network.loss.backward().to(device);
  for (let i = network.layers.length - 1; i >= 0; i--) gradient = network.layers[i].backward(gradient);
  network.optimizer.step(parameters);
  return loss;
}
