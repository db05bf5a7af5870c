import './conv2d-kernels.js';
import { dilatedKernelSize, gatherKernelGradient, spreadKernel } from './dilated-kernel.js';
import { runKernel } from '../../framework/backend/kernel-registry.js';
import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectShape } from '../../framework/tensor/shape.js';
import { DeviceError, ShapeError, ValueError } from '../../framework/errors.js';
import { Parameter } from '../../framework/nn/parameter.js';
import { defaultUniform } from '../../framework/nn/default-initialization.js';
import { defaultRng } from '../../framework/random/default-rng.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Layer } from '../../framework/nn/layer.js';
import type { Rng } from '../../framework/random/rng.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

export type Padding = 'same' | 'valid';

export interface ConvOptions {
  inChannels: number;
  outChannels: number;
  /** [k] for a 1-D convolution over [batch, C, L], [kh, kw] for 2-D over [batch, C, H, W]. */
  kernelSize: readonly number[];
  /** One stride for every axis, or one per axis (default 1). */
  stride?: number | readonly number[];
  /** 'same' (default) keeps ceil(n / stride) positions; 'valid' only places the kernel inside. */
  padding?: Padding;
  /**
   * One dilation for every axis, or one per axis (default 1): the kernel reads inputs `dilation` apart
   * and spans d·(k − 1) + 1 (Exercise 6, dilated-kernel.ts; docs/exercises/6-modern.md#dilatedconv).
   */
  dilation?: number | readonly number[];
  rng?: Rng;
}

/** The size of the output along one axis and the zeros padded before the input on that axis. */
export interface AxisGeometry {
  readonly outSize: number;
  readonly padBefore: number;
}

/**
 * Output size along one axis of input size n, kernel size k and stride s:
 *   'valid': o = ⌊(n − k) / s⌋ + 1, no padding (seed 000: 2169–2171; 000: 2113–2115 for s = 1);
 *   'same':  pad ⌊(k − 1)/2⌋ zeros before and the rest (k − 1 − before) after, so that a stride of 1
 *            keeps n positions (004: 3093–3098), then keep every s-th: o = ⌈n / s⌉.
 * The seeds do not say how to split the padding for an even k (catalogue §6); the kit pads the extra
 * zero after, as PyTorch's padding='same' does. Throws a ShapeError when 'valid' has no room for the kernel.
 *
 * Handout: docs/exercises/2-convolutional.md#output-size-and-padding
 */
export function convAxisGeometry(n: number, k: number, s: number, padding: Padding, where: string): AxisGeometry {
  if (padding === 'valid' && n < k) {
    throw new ShapeError(
      `${where}: a kernel of size ${k} does not fit an input of size ${n} with 'valid' padding; use padding 'same' or a smaller kernel`,
    );
  }
  // BEGIN SOLUTION
  if (padding === 'valid') return { outSize: Math.floor((n - k) / s) + 1, padBefore: 0 };
  return { outSize: Math.ceil(n / s), padBefore: Math.floor((k - 1) / 2) };
  // END SOLUTION
}

/**
 * Convolution layer, 1-D or 2-D: cross-correlation of the input with `outChannels` filters that
 * each span every input channel, plus one bias per filter (seed 004: 3054–3133, 000: 1690–2090).
 *
 *   2-D: y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m − pt, j·sw + n − pl] · w[o, c, m, n]
 *   1-D: the same with one spatial axis (run as 2-D with height 1; no seed shows 1-D, 000: 1620 only
 *        says CNNs apply to audio and time series).
 *
 * Shapes: x [batch, inChannels, H, W] (or [batch, inChannels, L]), weight [outChannels, inChannels,
 * kh, kw] (or [.., k]), bias [outChannels] → y [batch, outChannels, oh, ow] with the sizes of
 * `convAxisGeometry`. Backward (004: 3112–3125, "↦ exercise"): the three gradients in
 * conv2d-kernels.ts. The arithmetic runs in kernels 'conv2d', 'conv2dBackwardInput',
 * 'conv2dBackwardWeights', 'conv2dBackwardBias', so Exercise 5's WebGPU kernels replace it unchanged.
 *
 * `dilation` d ≠ 1 (Exercise 6, seed 004: 3152–3157) reads x[…, i·sh + m·dh − pt, j·sw + n·dw − pl]: the
 * same kernels run with the kernel spread out by dilated-kernel.ts (zeros between the taps), and the
 * output sizes use the span d·(k − 1) + 1 in place of k. With d = 1 nothing of that file is called.
 *
 * Initialisation fans (no seed defines them for a kernel, catalogue §6): fanIn = inChannels·∏k
 * (the inputs one output reads), fanOut = outChannels·∏k.
 *
 * Handout: docs/exercises/2-convolutional.md#conv
 */
export class Conv implements Layer {
  readonly name = 'Conv';
  training = true;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: Padding;
  readonly dilation: readonly number[];
  readonly weight: Parameter;
  readonly bias: Parameter;
  #input?: Tensor;

  constructor(options: ConvOptions) {
    const { inChannels, outChannels, kernelSize } = options;
    positiveInteger(inChannels, 'inChannels');
    positiveInteger(outChannels, 'outChannels');
    if (!Array.isArray(kernelSize) || (kernelSize.length !== 1 && kernelSize.length !== 2)) {
      throw new ValueError(`Conv: kernelSize must be [k] (1-D) or [kh, kw] (2-D), got ${JSON.stringify(kernelSize)}`);
    }
    kernelSize.forEach((k) => {
      positiveInteger(k, 'kernelSize');
    });
    const stride =
      typeof options.stride === 'number' || options.stride === undefined
        ? kernelSize.map(() => (options.stride as number | undefined) ?? 1)
        : [...options.stride];
    if (stride.length !== kernelSize.length) {
      throw new ValueError(
        `Conv: stride ${JSON.stringify(options.stride)} needs one entry per kernel axis (${kernelSize.length})`,
      );
    }
    stride.forEach((s) => {
      positiveInteger(s, 'stride');
    });
    const dilation =
      typeof options.dilation === 'number' || options.dilation === undefined
        ? kernelSize.map(() => (options.dilation as number | undefined) ?? 1)
        : [...options.dilation];
    if (dilation.length !== kernelSize.length) {
      throw new ValueError(
        `Conv: dilation ${JSON.stringify(options.dilation)} needs one entry per kernel axis (${kernelSize.length})`,
      );
    }
    dilation.forEach((d) => {
      positiveInteger(d, 'dilation');
    });
    const padding = options.padding ?? 'same';
    if (padding !== 'same' && padding !== 'valid')
      throw new ValueError(`Conv: padding must be 'same' or 'valid', got '${String(padding)}'`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = Object.freeze([...kernelSize]);
    this.stride = Object.freeze(stride);
    this.dilation = Object.freeze(dilation);
    this.padding = padding;
    const rng = options.rng ?? defaultRng();
    this.weight = new Parameter(
      'weight',
      defaultUniform([outChannels, inChannels, ...kernelSize], this.fanIn, rng),
      'weight',
    );
    this.bias = new Parameter('bias', defaultUniform([outChannels], this.fanIn, rng), 'bias');
  }

  /** Inputs one output element reads: inChannels·∏k. */
  get fanIn(): number {
    return this.inChannels * this.kernelSize.reduce((a, b) => a * b, 1);
  }

  /** Outputs one input element feeds (away from the border, stride 1): outChannels·∏k. */
  get fanOut(): number {
    return this.outChannels * this.kernelSize.reduce((a, b) => a * b, 1);
  }

  forward(input: Tensor): Tensor {
    const spatial = this.kernelSize.length === 1 ? ['length'] : ['height', 'width'];
    expectShape(input.shape, ['batch', this.inChannels, ...spatial], 'Conv.forward');
    expectFinite(input, 'Conv.forward');
    this.#input = input;
    const { x, geometry, outShape } = this.#plan(input);
    const output = runKernel('conv2d', [x, this.#kernel4d(), this.bias.value], { ...geometry, outShape });
    return output.reshape(this.#outputShape(input));
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'Conv.backward');
    expectShape(gradOutput.shape, this.#outputShape(input), 'Conv.backward', 'gradOutput');
    const { x, geometry, outShape } = this.#plan(input);
    const dY = gradOutput.reshape([input.shape[0], this.outChannels, ...outShape]);
    const kernel = this.#kernel4d();
    const kernelShape: [number, number] = [kernel.shape[2], kernel.shape[3]];
    const gradKernel = runKernel('conv2dBackwardWeights', [x, dY], { ...geometry, kernelShape });
    // A dilated kernel's gradient is read back from where spreadKernel put each weight.
    const gradWeight = this.#dilated()
      ? gatherKernelGradient(gradKernel, this.#dilation2d(), this.#kernel2d())
      : gradKernel;
    this.weight.accumulate(gradWeight.reshape(this.weight.value.shape));
    this.bias.accumulate(runKernel('conv2dBackwardBias', [dY]));
    const gradInput = runKernel('conv2dBackwardInput', [dY, kernel], {
      ...geometry,
      inShape: [x.shape[2], x.shape[3]],
    });
    return gradInput.reshape(input.shape);
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }

  /** fanIn = inChannels·∏k, fanOut = outChannels·∏k (DESIGN §3). */
  initialize(weights: Initializer, biases: Initializer, rng: Rng): void {
    this.weight.assign(weights.initialize(this.weight.value.shape, this.fanIn, this.fanOut, rng));
    this.bias.assign(biases.initialize(this.bias.value.shape, this.fanIn, this.fanOut, rng));
  }

  /** The input as [B, C, H, W] (a 1-D signal gets height 1) and the geometry of both axes. */
  #plan(input: Tensor): {
    x: Tensor;
    geometry: { stride: [number, number]; padBefore: [number, number] };
    outShape: [number, number];
  } {
    const oneD = this.kernelSize.length === 1;
    const x = oneD ? input.reshape([input.shape[0], input.shape[1], 1, input.shape[2]]) : input;
    const [kh, kw] = this.#kernel2d();
    const [dh, dw] = this.#dilation2d();
    const [sh, sw] = oneD ? [1, this.stride[0]] : this.stride;
    // A dilated kernel spans d·(k − 1) + 1 inputs: the output sizes and 'same' padding use that span.
    const [spanH, spanW] = this.#dilated() ? [dilatedKernelSize(kh, dh), dilatedKernelSize(kw, dw)] : [kh, kw];
    const where = this.#dilated()
      ? `Conv.forward (kernel ${JSON.stringify(this.kernelSize)} dilated by ${JSON.stringify(this.dilation)})`
      : 'Conv.forward';
    const rows = convAxisGeometry(x.shape[2], spanH, sh, oneD ? 'valid' : this.padding, where);
    const columns = convAxisGeometry(x.shape[3], spanW, sw, this.padding, where);
    return {
      x,
      geometry: { stride: [sh, sw], padBefore: [rows.padBefore, columns.padBefore] },
      outShape: [rows.outSize, columns.outSize],
    };
  }

  #outputShape(input: Tensor): number[] {
    const { outShape } = this.#plan(input);
    return this.kernelSize.length === 1
      ? [input.shape[0], this.outChannels, outShape[1]]
      : [input.shape[0], this.outChannels, ...outShape];
  }

  #weight4d(): Tensor {
    const w = this.weight.value;
    return this.kernelSize.length === 1 ? w.reshape([w.shape[0], w.shape[1], 1, w.shape[2]]) : w;
  }

  /** The kernel the conv2d kernels run: the weights as [O, C, KH, KW], spread out when dilated. */
  #kernel4d(): Tensor {
    if (!this.#dilated()) return this.#weight4d();
    if (this.weight.value.device !== 'cpu') {
      throw new DeviceError(
        `Conv: a dilated kernel (dilation ${JSON.stringify(this.dilation)}) is spread out on the CPU; keep this layer's weights on the CPU (the WebGPU conv2d kernel takes dilation 1 only)`,
      );
    }
    return spreadKernel(this.#weight4d(), this.#dilation2d());
  }

  #dilated(): boolean {
    return this.dilation.some((d) => d !== 1);
  }

  #kernel2d(): [number, number] {
    return this.kernelSize.length === 1 ? [1, this.kernelSize[0]] : [this.kernelSize[0], this.kernelSize[1]];
  }

  #dilation2d(): [number, number] {
    return this.dilation.length === 1 ? [1, this.dilation[0]] : [this.dilation[0], this.dilation[1]];
  }
}

function positiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1)
    throw new ValueError(`Conv: ${name} must be a positive integer, got ${value}`);
}
