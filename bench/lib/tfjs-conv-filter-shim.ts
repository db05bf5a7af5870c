import type { Tfjs } from './tfjs.js';

/**
 * tfjs-backend-wasm 4.22 registers Conv2D and Conv2DBackpropInput but not Conv2DBackpropFilter, so
 * training any conv net on it fails. This registers a small shim for the filter gradient on 'wasm':
 * plain JavaScript loops over the inputs read from the wasm heap (NHWC, any stride, 'same'/'valid'),
 * written into an output the backend owns:
 *   dW[m, n, c, o] = Σ_b Σ_i Σ_j dy[b, i, j, o] · x[b, i·sh + m − pt, j·sw + n − pl, c]
 * It is the only part of the tfjs-wasm figures not computed in WebAssembly; the benchmark says so.
 */
export function registerConv2dBackpropFilterShim(tf: Tfjs): boolean {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return false;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as unknown as {
        x: { shape: number[]; dataId: object };
        dy: { shape: number[]; dataId: object };
      };
      const { strides, pad, dimRoundingMode, filterShape } = attrs as unknown as {
        strides: [number, number] | number;
        pad: 'same' | 'valid' | number;
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        filterShape: [number, number, number, number];
      };
      const wasm = backend as unknown as {
        readSync(dataId: object): Float32Array;
        makeOutput(shape: number[], dtype: 'float32'): { shape: number[]; dtype: 'float32'; dataId: object };
        typedArrayFromHeap(info: { shape: number[]; dtype: 'float32'; dataId: object }): Float32Array;
      };
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const X = wasm.readSync(x.dataId);
      const DY = wasm.readSync(dy.dataId);
      const [batch, height, width, channels] = x.shape;
      const [kh, kw, , filters] = filterShape;
      const { outHeight, outWidth, strideHeight, strideWidth } = info;
      const { top, left } = info.padInfo;
      const dW = new Float32Array(kh * kw * channels * filters);
      for (let b = 0; b < batch; b++)
        for (let i = 0; i < outHeight; i++)
          for (let m = 0; m < kh; m++) {
            const r = i * strideHeight + m - top;
            if (r < 0 || r >= height) continue;
            for (let j = 0; j < outWidth; j++) {
              const dyAt = ((b * outHeight + i) * outWidth + j) * filters;
              for (let n = 0; n < kw; n++) {
                const s = j * strideWidth + n - left;
                if (s < 0 || s >= width) continue;
                const xAt = ((b * height + r) * width + s) * channels;
                for (let c = 0; c < channels; c++) {
                  const xv = X[xAt + c];
                  const wAt = ((m * kw + n) * channels + c) * filters;
                  for (let o = 0; o < filters; o++) dW[wAt + o] += xv * DY[dyAt + o];
                }
              }
            }
          }
      const out = wasm.makeOutput([...filterShape], 'float32');
      wasm.typedArrayFromHeap(out).set(dW);
      return out;
    },
  });
  return true;
}
