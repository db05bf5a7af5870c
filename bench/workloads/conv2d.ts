import { createRequire } from 'node:module';
import { Rng, type Tensor } from '../../framework/index.js';
import {
  conv2dBackwardBiasCpu,
  conv2dBackwardInputCpu,
  conv2dBackwardWeightsCpu,
  conv2dCpu,
  type Conv2dGeometry,
} from '../../solutions/layers/conv2d-kernels.js';
import {
  conv2dBackwardInputFastCpu,
  conv2dBackwardWeightsFastCpu,
  conv2dFastCpu,
} from '../../solutions/layers/conv2d-fast.js';
import type { Tensor4D } from '@tensorflow/tfjs';
import type { Tfjs } from '../lib/tfjs.js';

/**
 * One conv2d layer's kernels on their own: batch 16, 8 → 16 channels, 16×16 images, 3×3 'same',
 * stride 1. Forward is y = conv(x) + bias; backward is ∂L/∂x, ∂L/∂w (and ∂L/∂bias where separate).
 */
export const conv2dShape = { batch: 16, inChannels: 8, outChannels: 16, size: 16, kernel: 3 } as const;

/** Multiply-adds × 2 of one forward pass (each backward gradient costs the same again). */
export const conv2dFlops =
  2 *
  conv2dShape.batch *
  conv2dShape.outChannels *
  conv2dShape.size ** 2 *
  conv2dShape.inChannels *
  conv2dShape.kernel ** 2;

export interface Conv2dWorkload {
  forward(): Float32Array | Float64Array;
  backward(): void;
  dispose(): void;
}

export function conv2dInputs(seed = 5): { x: Tensor; w: Tensor; bias: Tensor; dy: Tensor; geometry: Conv2dGeometry } {
  const { batch, inChannels, outChannels, size, kernel } = conv2dShape;
  const rng = new Rng(seed);
  return {
    x: rng.normalTensor([batch, inChannels, size, size]),
    w: rng.normalTensor([outChannels, inChannels, kernel, kernel]),
    bias: rng.normalTensor([outChannels]),
    dy: rng.normalTensor([batch, outChannels, size, size]),
    geometry: { stride: [1, 1], padBefore: [1, 1] },
  };
}

/** The kit's CPU kernels, float64: the plain loops (`oracle`) or the im2col fast path. */
export function kitConv2d(path: 'oracle' | 'fast'): Conv2dWorkload {
  const { x, w, bias, dy, geometry } = conv2dInputs();
  const size: [number, number] = [conv2dShape.size, conv2dShape.size];
  const kernel: [number, number] = [conv2dShape.kernel, conv2dShape.kernel];
  const fast = path === 'fast';
  return {
    forward: () => (fast ? conv2dFastCpu : conv2dCpu)(x, w, bias, geometry, size).data,
    backward: () => {
      (fast ? conv2dBackwardInputFastCpu : conv2dBackwardInputCpu)(dy, w, geometry, size);
      (fast ? conv2dBackwardWeightsFastCpu : conv2dBackwardWeightsCpu)(x, dy, geometry, kernel);
      conv2dBackwardBiasCpu(dy);
    },
    dispose: () => {},
  };
}

/** NCHW → NHWC, and [O, C, KH, KW] → [KH, KW, C, O], as float32. */
function channelsLast(t: Tensor, order: [number, number, number, number]): Float32Array {
  const shape = t.shape;
  const out = new Float32Array(t.size);
  const permuted = order.map((axis) => shape[axis]);
  const strides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  let k = 0;
  for (let a = 0; a < permuted[0]; a++)
    for (let b = 0; b < permuted[1]; b++)
      for (let c = 0; c < permuted[2]; c++)
        for (let d = 0; d < permuted[3]; d++) {
          const index = [0, 0, 0, 0];
          index[order[0]] = a;
          index[order[1]] = b;
          index[order[2]] = c;
          index[order[3]] = d;
          out[k++] =
            t.data[index[0] * strides[0] + index[1] * strides[1] + index[2] * strides[2] + index[3] * strides[3]];
        }
  return out;
}

/** tfjs on its active backend, float32 NHWC; backward runs the two backprop kernels tf.grad would. */
export function tfjsConv2d(tf: Tfjs): Conv2dWorkload & { forwardNchw(): Float32Array } {
  const { x, w, bias, dy } = conv2dInputs();
  const { batch, inChannels, outChannels, size, kernel } = conv2dShape;
  const xs = tf.tensor4d(channelsLast(x, [0, 2, 3, 1]), [batch, size, size, inChannels]);
  const filter = tf.tensor4d(channelsLast(w, [2, 3, 1, 0]), [kernel, kernel, inChannels, outChannels]);
  const b = tf.tensor1d(Float32Array.from(bias.data));
  const dys = tf.tensor4d(channelsLast(dy, [0, 2, 3, 1]), [batch, size, size, outChannels]);
  const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC' };
  const forward = (): Float32Array => {
    const y = tf.add(tf.conv2d(xs, filter, 1, 'same'), b);
    const values = y.dataSync() as Float32Array;
    y.dispose();
    return values;
  };
  return {
    forward,
    forwardNchw: () => {
      const y = tf.tidy(() => tf.transpose(tf.add(tf.conv2d(xs, filter, 1, 'same'), b), [0, 3, 1, 2]));
      const values = y.dataSync() as Float32Array;
      y.dispose();
      return values;
    },
    backward: () => {
      const engine = tf.engine();
      const dx = engine.runKernel(
        'Conv2DBackpropInput',
        { dy: dys, filter },
        { ...attrs, inputShape: [batch, size, size, inChannels] },
      ) as Tensor4D;
      const dw = engine.runKernel(
        'Conv2DBackpropFilter',
        { x: xs, dy: dys },
        { ...attrs, filterShape: [kernel, kernel, inChannels, outChannels] },
      ) as Tensor4D;
      const db = tf.sum(dys, [0, 1, 2]);
      dx.dataSync();
      dw.dataSync();
      db.dataSync();
      tf.dispose([dx, dw, db]);
    },
    dispose: () => tf.dispose([xs, filter, b, dys]),
  };
}

/** ConvNetJS's ConvLayer, one example at a time (its only mode), float64. */
export function convnetjsConv2d(): Conv2dWorkload {
  const convnetjs = createRequire(import.meta.url)('convnetjs');
  const { batch, inChannels, outChannels, size, kernel } = conv2dShape;
  const layer = new convnetjs.ConvLayer({
    in_sx: size,
    in_sy: size,
    in_depth: inChannels,
    sx: kernel,
    filters: outChannels,
    stride: 1,
    pad: 1,
  });
  const { x, dy } = conv2dInputs();
  const vols = Array.from({ length: batch }, (_, b) => {
    const v = new convnetjs.Vol(size, size, inChannels, 0);
    v.w.set(channelsLast(x, [0, 2, 3, 1]).subarray(b * size * size * inChannels, (b + 1) * size * size * inChannels));
    return v;
  });
  const upstream = channelsLast(dy, [0, 2, 3, 1]);
  const per = size * size * outChannels;
  return {
    forward: () => {
      let last: Float64Array = new Float64Array(0);
      for (const v of vols) last = layer.forward(v, true).w;
      return last;
    },
    // ConvNetJS keeps one example's activations, so its backward needs that example's forward first.
    backward: () => {
      for (let b = 0; b < batch; b++) {
        layer.forward(vols[b], true);
        layer.out_act.dw.set(upstream.subarray(b * per, (b + 1) * per));
        layer.backward();
      }
    },
    dispose: () => {},
  };
}
