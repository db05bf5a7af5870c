import { Parameter, type Rng, Tensor, type Layer } from '../../framework/index.js';

/**
 * A test-local convolution, written as the seed writes it for the backward pass: a fully connected
 * layer whose weight matrix is mostly zeros (004: 3059–3060, 3112–3125). Its "connection list" holds
 * one (output, input, weight) triple per non-zero entry; forward, both gradients and the bias follow
 * from that list alone, so this shares no code and no loop structure with the implementation under
 * test. Tests of Conv compare against it; tests of other components use it as a stand-in.
 */
export interface ConvGeometry {
  stride: [number, number];
  padBefore: [number, number];
  outShape: [number, number];
}

/** DESIGN §3's geometry, written independently: 'same' pads ⌊(k−1)/2⌋ before and keeps ⌈n/s⌉. */
export function geometryOf(
  size: [number, number],
  kernel: [number, number],
  stride: [number, number],
  padding: 'same' | 'valid',
): ConvGeometry {
  const axis = (n: number, k: number, s: number): [number, number] =>
    padding === 'same' ? [Math.ceil(n / s), Math.floor((k - 1) / 2)] : [Math.floor((n - k) / s) + 1, 0];
  const [oh, pt] = axis(size[0], kernel[0], stride[0]);
  const [ow, pl] = axis(size[1], kernel[1], stride[1]);
  return { stride, padBefore: [pt, pl], outShape: [oh, ow] };
}

interface Connections {
  output: Int32Array;
  input: Int32Array;
  weight: Int32Array;
}

/** Triples for one example: input index in [C·H·W], output in [O·OH·OW], weight in [O·C·KH·KW]. */
function connectionsOf(
  channels: number,
  size: [number, number],
  filters: number,
  kernel: [number, number],
  g: ConvGeometry,
): Connections {
  const output: number[] = [];
  const input: number[] = [];
  const weight: number[] = [];
  const [height, width] = size;
  const [kh, kw] = kernel;
  for (let o = 0; o < filters; o++)
    for (let i = 0; i < g.outShape[0]; i++)
      for (let j = 0; j < g.outShape[1]; j++)
        for (let c = 0; c < channels; c++)
          for (let m = 0; m < kh; m++)
            for (let n = 0; n < kw; n++) {
              const r = i * g.stride[0] + m - g.padBefore[0];
              const s = j * g.stride[1] + n - g.padBefore[1];
              if (r < 0 || r >= height || s < 0 || s >= width) continue;
              output.push((o * g.outShape[0] + i) * g.outShape[1] + j);
              input.push((c * height + r) * width + s);
              weight.push(((o * channels + c) * kh + m) * kw + n);
            }
  return { output: Int32Array.from(output), input: Int32Array.from(input), weight: Int32Array.from(weight) };
}

/** y = conv(x) for x [B, C, H, W], w [O, C, KH, KW]: the reference forward pass. */
export function referenceConv(x: Tensor, w: Tensor, bias: Tensor, g: ConvGeometry): Tensor {
  return new ConvDouble(w, bias, g).forward(x);
}

/** ∂L/∂x, ∂L/∂w, ∂L/∂bias of Σ dy ⊙ conv(x): the reference backward pass. */
export function referenceConvGradients(
  x: Tensor,
  w: Tensor,
  bias: Tensor,
  dy: Tensor,
  g: ConvGeometry,
): { dx: Tensor; dw: Tensor; dbias: Tensor } {
  const layer = new ConvDouble(w, bias, g);
  layer.forward(x);
  const dx = layer.backward(dy);
  return { dx, dw: layer.weight.grad, dbias: layer.bias.grad };
}

/** A 2-D convolution layer double built on the connection list (float64). */
export class ConvDouble implements Layer {
  readonly name = 'ConvDouble';
  training = true;
  readonly weight: Parameter;
  readonly bias: Parameter;
  #input?: Tensor;
  #connections?: Connections;

  constructor(
    weight: Tensor,
    bias: Tensor,
    readonly geometry: ConvGeometry,
  ) {
    this.weight = new Parameter('weight', weight, 'weight');
    this.bias = new Parameter('bias', bias, 'bias');
  }

  /** A He-initialised double for [inChannels, H, W] inputs with 'same' padding and stride 1. */
  static same(
    inChannels: number,
    outChannels: number,
    size: [number, number],
    kernel: [number, number],
    rng: Rng,
  ): ConvDouble {
    const fanIn = inChannels * kernel[0] * kernel[1];
    const w = rng.normalTensor([outChannels, inChannels, ...kernel], 0, Math.sqrt(2 / fanIn));
    return new ConvDouble(
      w,
      new Tensor([outChannels], new Float64Array(outChannels).fill(0.1)),
      geometryOf(size, kernel, [1, 1], 'same'),
    );
  }

  forward(x: Tensor): Tensor {
    const [batch, channels, height, width] = x.shape;
    const [filters, , kh, kw] = this.weight.value.shape;
    this.#connections ??= connectionsOf(channels, [height, width], filters, [kh, kw], this.geometry);
    this.#input = x;
    const per = filters * this.geometry.outShape[0] * this.geometry.outShape[1];
    const positions = per / filters;
    const y = new Float64Array(batch * per);
    const { output, input, weight } = this.#connections;
    const X = x.data;
    const W = this.weight.value.data;
    for (let b = 0; b < batch; b++) {
      for (let q = 0; q < per; q++) y[b * per + q] = this.bias.value.data[Math.floor(q / positions)];
      const xOffset = b * channels * height * width;
      for (let t = 0; t < output.length; t++) y[b * per + output[t]] += W[weight[t]] * X[xOffset + input[t]];
    }
    return new Tensor([batch, filters, ...this.geometry.outShape], y);
  }

  backward(dy: Tensor): Tensor {
    const x = this.#input as Tensor;
    const { output, input, weight } = this.#connections as Connections;
    const [batch] = x.shape;
    const per = dy.size / batch;
    const inPer = x.size / batch;
    const positions = this.geometry.outShape[0] * this.geometry.outShape[1];
    const dx = new Float64Array(x.size);
    const dw = new Float64Array(this.weight.value.size);
    const dbias = new Float64Array(this.bias.value.size);
    const X = x.data;
    const W = this.weight.value.data;
    const DY = dy.data;
    for (let b = 0; b < batch; b++) {
      for (let q = 0; q < per; q++) dbias[Math.floor(q / positions)] += DY[b * per + q];
      for (let t = 0; t < output.length; t++) {
        const upstream = DY[b * per + output[t]];
        dx[b * inPer + input[t]] += W[weight[t]] * upstream;
        dw[weight[t]] += X[b * inPer + input[t]] * upstream;
      }
    }
    this.weight.accumulate(new Tensor(this.weight.value.shape, dw));
    this.bias.accumulate(new Tensor(this.bias.value.shape, dbias));
    return new Tensor(x.shape, dx);
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }
}
