import { Conv, type ConvOptions } from '#impl/layers/conv.js';
import { Rng } from '../../../framework/random/rng.js';
import { fromArray, tensor, zeros } from '../../../framework/tensor/create.js';
import type { Initializer } from '../../../framework/nn/initializer.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { errorName, gradientData, publicCases, tensorData } from '../../case-api.js';

/** A Conv with the given weights and bias (the weights' shape fixes the kernel). */
function convWith(weight: Tensor, bias: Tensor, options: { stride?: number | number[]; padding?: 'same' | 'valid' } = {}): Conv {
  const [outChannels, inChannels, ...kernelSize] = weight.shape;
  const conv = new Conv({ inChannels, outChannels, kernelSize, ...options, rng: new Rng(1) });
  conv.weight.assign(weight);
  conv.bias.assign(bias);
  return conv;
}

/** Output, ∂L/∂input and the parameter gradients of one forward and backward. */
function forwardBackward(conv: Conv, input: Tensor, rng: Rng) {
  const output = conv.forward(input);
  const gradInput = conv.backward(rng.normalTensor(output.shape));
  return { output: tensorData(output, 'Conv.forward'), gradInput: tensorData(gradInput, 'Conv.backward'), gradients: gradientData(conv.parameters(), 'Conv.backward') };
}

/** The geometries of the public gradient tests: even and 1×1 kernels, strides that do not divide, 1-D. */
const geometries: Array<{ options: Omit<ConvOptions, 'rng'>; input: number[] }> = [
  { options: { inChannels: 2, outChannels: 3, kernelSize: [3, 3] }, input: [2, 2, 5, 6] },
  { options: { inChannels: 2, outChannels: 2, kernelSize: [4, 4], stride: 2, padding: 'valid' }, input: [2, 2, 7, 9] },
  { options: { inChannels: 1, outChannels: 2, kernelSize: [2, 3], stride: [2, 3] }, input: [2, 1, 5, 7] },
  { options: { inChannels: 3, outChannels: 2, kernelSize: [1, 1] }, input: [2, 3, 3, 4] },
  { options: { inChannels: 2, outChannels: 3, kernelSize: [4], stride: 2 }, input: [2, 2, 9] },
  { options: { inChannels: 1, outChannels: 2, kernelSize: [3], padding: 'valid' }, input: [3, 1, 6] },
];

// The dummy image of seed 000 lines 1759–1768 (catalogue §4.7) and the Sobel kernel S_x of line 1776.
const image = [
  [0, 0, 0, 0, 255, 255, 0, 0, 0, 0],
  [0, 0, 0, 255, 255, 255, 255, 0, 0, 0],
  [0, 0, 0, 0, 255, 255, 0, 0, 0, 0],
  [255, 0, 0, 255, 255, 255, 255, 0, 0, 0],
  [0, 0, 255, 255, 255, 255, 255, 255, 0, 0],
  [0, 255, 0, 255, 255, 255, 255, 0, 255, 0],
  [0, 0, 0, 255, 255, 255, 255, 0, 0, 0],
  [0, 0, 0, 255, 255, 255, 255, 0, 0, 0],
  [0, 0, 0, 255, 0, 0, 255, 0, 0, 255],
  [0, 0, 255, 255, 0, 0, 255, 255, 0, 0],
];
const sobelX = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]];

export default publicCases('ex2', 'Conv', [
  {
    id: 'conv-sobel-feature-map',
    title: "the 10×10 → 8×8 Sobel feature map of seed 000 (lines 1759–1837): 'valid' cross-correlation, no kernel flip",
    weight: 2,
    run: () => tensorData(convWith(fromArray([[sobelX]]), zeros([1]), { padding: 'valid' }).forward(fromArray([[image]])), 'Conv.forward'),
  },
  {
    id: 'conv-seed-001-examples',
    title: "seed 001's 5×5 ⊛ 3×3 (lines 454–465) and 7×7 ⊛ 3×3 (lines 434–450) examples",
    run: () => {
      const five = fromArray([[[[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]]]);
      const seven = fromArray([[[[0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0], [0, 1, 0, 0, 0, 1, 0], [0, 0, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0]]]]);
      return {
        five: tensorData(convWith(fromArray([[[[1, 0, 1], [0, 1, 0], [1, 0, 1]]]]), zeros([1]), { padding: 'valid' }).forward(five), 'Conv.forward'),
        seven: tensorData(convWith(fromArray([[[[0, 0, 1], [1, 0, 0], [0, 1, 1]]]]), zeros([1]), { padding: 'valid' }).forward(seven), 'Conv.forward'),
      };
    },
  },
  {
    id: 'conv-output-sizes-and-fans',
    title: "output sizes of 'same' and 'valid' with strides (catalogue §4.12), and fanIn = inChannels·∏k, fanOut = outChannels·∏k",
    compare: { kind: 'exact' },
    run: () => {
      const shapeOf = (options: Partial<ConvOptions>, input: number[]): number[] =>
        tensorData(new Conv({ inChannels: input[1], outChannels: 2, kernelSize: [3, 3], rng: new Rng(1), ...options }).forward(zeros(input)), 'Conv.forward').shape;
      const calls: Array<{ shape: number[]; fanIn: number; fanOut: number }> = [];
      const recording: Initializer = {
        initialize: (shape, fanIn, fanOut) => {
          calls.push({ shape: [...shape], fanIn, fanOut });
          return zeros(shape);
        },
      };
      new Conv({ inChannels: 3, outChannels: 5, kernelSize: [2, 4], rng: new Rng(1) }).initialize(recording, recording, new Rng(1));
      new Conv({ inChannels: 2, outChannels: 7, kernelSize: [3], rng: new Rng(1) }).initialize(recording, recording, new Rng(1));
      return {
        shapes: [
          shapeOf({ kernelSize: [2, 2], padding: 'valid' }, [1, 1, 5, 5]),
          shapeOf({ padding: 'same' }, [1, 1, 5, 5]),
          shapeOf({ padding: 'valid' }, [1, 1, 10, 10]),
          shapeOf({ padding: 'valid', stride: 2 }, [1, 1, 7, 8]),
          shapeOf({ padding: 'same', stride: 2 }, [1, 3, 7, 8]),
          shapeOf({ kernelSize: [4], stride: 3 }, [1, 1, 10]),
        ],
        initializerCalls: calls,
      };
    },
  },
  {
    id: 'conv-even-kernel-same-padding',
    title: "a 2×2 kernel with 'same' padding pads its extra zero after (as PyTorch)",
    run: () => tensorData(convWith(fromArray([[[[1, 10], [100, 1000]]]]), zeros([1])).forward(fromArray([[[[1, 2], [3, 4]]]])), 'Conv.forward'),
  },
  {
    id: 'conv-backward-by-hand',
    title: '1×1×3×3 input, 2×2 valid kernel, ∂L/∂y = 1: each input collects the weights that read it, each weight the inputs it read',
    weight: 2,
    run: () => {
      const conv = convWith(fromArray([[[[1, 2], [3, 4]]]]), tensor([0.5], [1]), { padding: 'valid' });
      const output = tensorData(conv.forward(fromArray([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]])), 'Conv.forward');
      const gradInput = tensorData(conv.backward(fromArray([[[[1, 1], [1, 1]]]])), 'Conv.backward');
      return { output, gradInput, gradients: gradientData(conv.parameters(), 'Conv.backward') };
    },
  },
  {
    id: 'conv-forward-geometries',
    title: "forward on the public gradient tests' geometries (even and 1×1 kernels, strides that do not divide, 1-D)",
    weight: 2,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: () => {
      const rng = new Rng(42);
      return geometries.map(({ options, input }) => tensorData(new Conv({ ...options, rng }).forward(rng.normalTensor(input)), 'Conv.forward'));
    },
  },
  {
    id: 'conv-backward-geometries',
    title: "∂L/∂input, ∂L/∂weight and ∂L/∂bias on the same geometries",
    weight: 3,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: () => {
      const rng = new Rng(43);
      return geometries.map(({ options, input }) => forwardBackward(new Conv({ ...options, rng }), rng.normalTensor(input), rng));
    },
  },
  {
    id: 'conv-delta-kernel-identity',
    title: "a delta kernel (1 at the centre, zero bias) with 'same' padding is the identity, 2-D and 1-D",
    run: () => {
      const weight = zeros([2, 2, 3, 3]);
      for (let c = 0; c < 2; c++) weight.set(1, c, c, 1, 1);
      const x = new Rng(8).normalTensor([2, 2, 4, 5]);
      return {
        twoD: tensorData(convWith(weight, zeros([2])).forward(x), 'Conv.forward'),
        oneD: tensorData(convWith(tensor([0, 1, 0], [1, 1, 3]), zeros([1])).forward(fromArray([[[3, -1, 4, 1, -5]]])), 'Conv.forward'),
      };
    },
  },
  {
    id: 'conv-gradients-accumulate',
    title: 'two backward calls give twice the parameter gradients (add to .grad, do not assign)',
    run: () => {
      const rng = new Rng(42);
      const conv = new Conv({ inChannels: 1, outChannels: 2, kernelSize: [3, 3], rng });
      conv.forward(rng.normalTensor([2, 1, 4, 4]));
      const gradOutput = rng.normalTensor([2, 2, 4, 4]);
      conv.backward(gradOutput);
      conv.backward(gradOutput);
      return gradientData(conv.parameters(), 'Conv.backward');
    },
  },
  {
    id: 'conv-errors',
    title: 'bad input and options are refused: wrong channels, a kernel that does not fit, a 3-D kernel, stride 0, unknown padding, backward first',
    compare: { kind: 'exact' },
    run: () => {
      const conv = new Conv({ inChannels: 3, outChannels: 2, kernelSize: [3, 3], rng: new Rng(1) });
      const output = tensorData(conv.forward(zeros([1, 3, 4, 4])), 'Conv.forward');
      return {
        output: output.shape,
        wrongChannels: errorName(() => conv.forward(zeros([4, 1, 8, 8]))),
        kernelDoesNotFit: errorName(() => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [5, 5], padding: 'valid', rng: new Rng(1) }).forward(zeros([1, 1, 4, 8]))),
        threeDimensionalKernel: errorName(() => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3, 3], rng: new Rng(1) })),
        zeroStride: errorName(() => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3], stride: 0, rng: new Rng(1) })),
        unknownPadding: errorName(() => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3], padding: 'full' as 'same', rng: new Rng(1) })),
        backwardBeforeForward: errorName(() => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3], rng: new Rng(1) }).backward(zeros([1, 1, 4]))),
      };
    },
  },
]);
