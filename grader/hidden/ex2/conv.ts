import { Conv, type ConvOptions } from '#impl/layers/conv.js';
import { gradientData, hiddenCases, intIn, tensorData } from '../../case-api.js';
import type { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';

/** A Conv with random weights and bias, and a random input for it. */
function setup(rng: Rng, options: Omit<ConvOptions, 'rng'>, input: number[]): { conv: Conv; x: Tensor } {
  const conv = new Conv({ ...options, rng: rng.fork() });
  conv.weight.assign(rng.normalTensor(conv.weight.value.shape));
  conv.bias.assign(rng.normalTensor(conv.bias.value.shape));
  return { conv, x: rng.normalTensor(input) };
}

/** Output, ∂L/∂input and parameter gradients of a random Conv on a random input. */
function forwardBackward(rng: Rng, options: Omit<ConvOptions, 'rng'>, input: number[]) {
  const { conv, x } = setup(rng, options, input);
  const output = conv.forward(x);
  const gradInput = conv.backward(rng.normalTensor(output.shape));
  return { output: tensorData(output, 'Conv.forward'), gradInput: tensorData(gradInput, 'Conv.backward'), gradients: gradientData(conv.parameters(), 'Conv.backward') };
}

/** A random 2-D geometry: kernels 1–4 (even ones included), strides 1–3, either padding. */
function randomGeometry(rng: Rng): { options: Omit<ConvOptions, 'rng'>; input: number[] } {
  const [kh, kw] = [intIn(rng, 1, 4), intIn(rng, 1, 4)];
  const padding = rng.uniform() < 0.5 ? 'same' : 'valid';
  const height = padding === 'valid' ? intIn(rng, kh, 8) : intIn(rng, 1, 8);
  const width = padding === 'valid' ? intIn(rng, kw, 8) : intIn(rng, 1, 8);
  const inChannels = intIn(rng, 1, 3);
  return { options: { inChannels, outChannels: intIn(rng, 1, 3), kernelSize: [kh, kw], stride: [intIn(rng, 1, 3), intIn(rng, 1, 3)], padding }, input: [intIn(rng, 1, 3), inChannels, height, width] };
}

export default hiddenCases('ex2', 'Conv', [
  {
    id: 'conv-hidden-forward-random-geometries',
    title: 'forward on random 2-D geometries (sizes, channels, kernels, strides, padding)',
    points: 4,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: (rng) => [0, 1, 2].map(() => {
      const { options, input } = randomGeometry(rng);
      const { conv, x } = setup(rng, options, input);
      return tensorData(conv.forward(x), 'Conv.forward');
    }),
  },
  {
    id: 'conv-hidden-backward-random-geometries',
    title: 'backward on random 2-D geometries: input, weight and bias gradients',
    points: 4,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: (rng) => [0, 1, 2].map(() => {
      const { options, input } = randomGeometry(rng);
      return forwardBackward(rng, options, input);
    }),
  },
  {
    id: 'conv-hidden-even-kernel-uneven-stride',
    title: "an even kernel with 'same' padding and strides that do not divide the size",
    points: 3,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: (rng) => forwardBackward(rng, { inChannels: 2, outChannels: 3, kernelSize: [4, 2], stride: [3, 2], padding: 'same' }, [2, 2, intIn(rng, 7, 8), 5]),
  },
  {
    id: 'conv-hidden-one-by-one',
    title: 'a 1×1 kernel, with and without a stride',
    points: 2,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: (rng) => [1, 2].map((stride) => {
      const inChannels = intIn(rng, 1, 4);
      return forwardBackward(rng, { inChannels, outChannels: intIn(rng, 1, 4), kernelSize: [1, 1], stride }, [2, inChannels, intIn(rng, 3, 6), intIn(rng, 3, 6)]);
    }),
  },
  {
    id: 'conv-hidden-one-dimensional',
    title: '1-D convolutions over [batch, channels, length]: random kernel, stride and padding',
    points: 3,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: (rng) => [0, 1].map(() => {
      const k = intIn(rng, 1, 5);
      const padding = rng.uniform() < 0.5 ? 'same' : 'valid';
      const inChannels = intIn(rng, 1, 3);
      return forwardBackward(rng, { inChannels, outChannels: intIn(rng, 1, 3), kernelSize: [k], stride: intIn(rng, 1, 3), padding }, [intIn(rng, 1, 3), inChannels, intIn(rng, k, 11)]);
    }),
  },
  {
    id: 'conv-hidden-kernel-fills-input',
    title: "a 'valid' kernel exactly as large as the input: one output position",
    points: 1,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: (rng) => {
      const [h, w] = [intIn(rng, 2, 5), intIn(rng, 2, 5)];
      return forwardBackward(rng, { inChannels: 2, outChannels: 2, kernelSize: [h, w], padding: 'valid' }, [3, 2, h, w]);
    },
  },
]);
