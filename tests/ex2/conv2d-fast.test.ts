import { expect } from 'vitest';
import {
  col2im,
  conv2dBackwardInputFastCpu,
  conv2dBackwardWeightsFastCpu,
  conv2dFastCpu,
  fastConvKernels,
  im2col,
} from '#impl/layers/conv2d-fast.js';
import {
  dispatchCount,
  Parameter,
  resetDispatchCounts,
  Rng,
  runKernel,
  Tensor,
  tensor,
  withKernels,
  type Conv2dGeometry,
  type Layer,
} from '../../framework/index.js';
import {
  componentChecks,
  drawSamples,
  expectClose,
  expectGradientsMatch,
  gradient,
  knownValue,
  layerGradients,
  property,
  tensorData,
  type TensorData,
} from '../harness/index.js';
import {
  convGeometries,
  describeGeometry,
  randomGeometry,
  spanGeometry,
  type ConvGeometry,
} from '../helpers/conv-checks.js';
import {
  col2imDefinition,
  convDefinition,
  geometry2d,
  im2colDefinition,
  nd,
  type Geometry2d,
} from '../helpers/conv-definition.js';

/**
 * Exercise 2 extension, ConvFastPath: the same three convolution sums as Conv's plain loops, through
 * im2col (every receptive field as a column, X_col[(c·KH + m)·KW + n, (b·OH + i)·OW + j]) and matrix
 * products; col2im is im2col's adjoint. Handout: docs/exercises/2-convolutional.md#extension-a-fast-path-im2col
 */

/** 2-D geometries (no dilation): even and 1×1 kernels, strides that do not divide the size, both paddings. */
const specs = convGeometries({ oneD: false, batch: 3, channels: 3, size: 8, kernel: 4, stride: 3, dilation: 1 });
/** The 2-D geometry of a sample (d = 1: the kernel's span is its size). */
const geometryOf = spanGeometry;
/** The attributes the kernels receive (what Conv passes): stride and the zeros padded before. */
const kernelGeometry = (g: Geometry2d): Conv2dGeometry => ({ stride: g.stride, padBefore: g.padBefore });

/** The three fast kernels on random tensors of geometry `g`, with their inputs, as data. */
function fastPass(g: ConvGeometry) {
  const rng = new Rng(g.seed);
  const geometry = geometryOf(g);
  const x = rng.normalTensor([g.batch, g.inChannels, g.height, g.width]);
  const w = rng.normalTensor([g.outChannels, g.inChannels, g.kh, g.kw]);
  const b = rng.normalTensor([g.outChannels]);
  const dy = rng.normalTensor([g.batch, g.outChannels, ...geometry.outShape]);
  const attributes = kernelGeometry(geometry);
  return {
    spec: g,
    x: tensorData(x, 'x'),
    w: tensorData(w, 'w'),
    b: Array.from(b.data),
    dy: tensorData(dy, '∂L/∂y'),
    y: tensorData(conv2dFastCpu(x, w, b, attributes, geometry.outShape), 'conv2dFastCpu'),
    dx: tensorData(conv2dBackwardInputFastCpu(dy, w, attributes, [g.height, g.width]), 'conv2dBackwardInputFastCpu'),
    dw: tensorData(conv2dBackwardWeightsFastCpu(x, dy, attributes, [g.kh, g.kw]), 'conv2dBackwardWeightsFastCpu'),
  };
}

function verifyFastPass(pass: ReturnType<typeof fastPass>, label: string): void {
  const want = convDefinition(pass.x, pass.w, pass.b, geometryOf(pass.spec), pass.dy);
  expectClose(
    pass.y,
    want.y,
    1e-9,
    `${label}: conv2dFastCpu must equal the plain convolution, y = W_mat · X_col + bias, then [O, B·OH·OW] back to [B, O, OH, OW]`,
  );
  expectClose(
    pass.dx,
    want.dx,
    1e-9,
    `${label}: conv2dBackwardInputFastCpu must equal ∂L/∂x of the plain convolution: col2im(W_matᵀ · dY_mat)`,
  );
  expectClose(
    pass.dw,
    want.dw,
    1e-9,
    `${label}: conv2dBackwardWeightsFastCpu must equal ∂L/∂w of the plain convolution, summed over the batch: dY_mat · X_colᵀ`,
  );
}

/** im2col of a random x and col2im of a random column matrix of geometry `g`, with their inputs, as data. */
function columnsPass(g: ConvGeometry) {
  const rng = new Rng(g.seed);
  const geometry = geometryOf(g);
  const attributes = kernelGeometry(geometry);
  const { outShape } = geometry;
  const x = rng.normalTensor([g.batch, g.inChannels, g.height, g.width]);
  const c = rng.normalTensor([g.inChannels * g.kh * g.kw, g.batch * outShape[0] * outShape[1]]);
  return {
    spec: g,
    x: tensorData(x, 'x'),
    c: tensorData(c, 'columns'),
    cols: tensorData(im2col(x, attributes, [g.kh, g.kw], outShape), 'im2col'),
    back: tensorData(
      col2im(c, [g.batch, g.inChannels, g.height, g.width], attributes, [g.kh, g.kw], outShape),
      'col2im',
    ),
  };
}

/**
 * A convolution layer that runs whatever kernels are registered under 'conv2d', 'conv2dBackwardInput'
 * and 'conv2dBackwardWeights' (as Conv does), with its own bias gradient: a gradient check of the fast
 * kernels inside `withKernels(fastConvKernels, …)`, without the student's Conv.
 */
class KernelConvDouble implements Layer {
  readonly name = 'conv through the registered kernels';
  training = true;
  readonly weight: Parameter;
  readonly bias: Parameter;
  #input?: Tensor;
  constructor(
    w: Tensor,
    b: Tensor,
    readonly geometry: Geometry2d,
  ) {
    this.weight = new Parameter('weight', w, 'weight');
    this.bias = new Parameter('bias', b, 'bias');
  }
  forward(x: Tensor): Tensor {
    this.#input = x;
    return runKernel('conv2d', [x, this.weight.value, this.bias.value], {
      ...kernelGeometry(this.geometry),
      outShape: this.geometry.outShape,
    });
  }
  backward(dy: Tensor): Tensor {
    const x = this.#input as Tensor;
    const attributes = kernelGeometry(this.geometry);
    this.weight.accumulate(
      runKernel('conv2dBackwardWeights', [x, dy], { ...attributes, kernelShape: this.geometry.kernel }),
    );
    const [, filters, oh, ow] = dy.shape;
    const db = new Float64Array(filters);
    for (let i = 0; i < dy.size; i++) db[Math.floor(i / (oh * ow)) % filters] += dy.data[i];
    this.bias.accumulate(new Tensor([filters], db));
    return runKernel('conv2dBackwardInput', [dy, this.weight.value], { ...attributes, inShape: this.geometry.size });
  }
  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }
}

export default componentChecks('ex2', 'ConvFastPath', [
  property({
    title:
      'forward and both gradients equal the plain convolution on random geometries (stride, same/valid, even and 1×1 kernels)',
    weight: 2,
    run: (rng) => drawSamples(specs, rng, 60).map(fastPass),
    verify: (passes) =>
      passes.forEach((pass, i) => {
        verifyFastPass(pass, `sample ${i} (${describeGeometry(pass.spec)})`);
      }),
    hiddenRerun: true,
  }),
  property({
    title:
      'im2col lists every receptive field as a column and col2im adds each entry back where it was read (the adjoint: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩)',
    run: (rng) => drawSamples(specs, rng, 40).map(columnsPass),
    verify: (passes) =>
      passes.forEach(({ spec, x, c, cols, back }, i) => {
        const label = `sample ${i} (${describeGeometry(spec)})`;
        const geometry = geometryOf(spec);
        expectClose(
          cols,
          im2colDefinition(x, geometry),
          0,
          `${label}: im2col, X_col[(c·KH + m)·KW + n, (b·OH + i)·OW + j] = x[b, c, i·sh + m − pt, j·sw + n − pl], 0 in the padding`,
        );
        expectClose(
          back,
          col2imDefinition(c, x.shape, geometry),
          1e-12,
          `${label}: col2im must ADD every entry of the column matrix to the input position im2col read it from (+=: positions read by several windows collect them all)`,
        );
        const dot = (a: TensorData, b: TensorData): number => a.data.reduce((sum, v, k) => sum + v * b.data[k], 0);
        expectClose(
          dot(cols, c),
          dot(x, back),
          1e-9,
          `${label}: ⟨im2col(x), c⟩ must equal ⟨x, col2im(c)⟩ (col2im is the adjoint of im2col)`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'the fast kernels on a random geometry drawn from the seed: im2col, col2im, forward and both gradients',
    run: (rng) => {
      const spec = randomGeometry(rng);
      return { columns: columnsPass(spec), fast: fastPass(spec) };
    },
    verify: ({ columns, fast }) => {
      const label = describeGeometry(fast.spec);
      const geometry = geometryOf(columns.spec);
      expectClose(columns.cols, im2colDefinition(columns.x, geometry), 0, `${label}: im2col`);
      expectClose(
        columns.back,
        col2imDefinition(columns.c, columns.x.shape, geometry),
        1e-12,
        `${label}: col2im (adds every column entry back where im2col read it)`,
      );
      verifyFastPass(fast, label);
    },
    hiddenRerun: true,
  }),
  ...(
    [
      ['2×2 input channels, 3×2 kernel, stride [2, 1], same', [2, 2, 5, 6], 3, [3, 2], [2, 1], 'same'],
      ['1×11 (a 1-D signal), kernel [1, 4], stride [1, 3], valid', [2, 2, 1, 11], 2, [1, 4], [1, 3], 'valid'],
    ] as const
  ).map(([label, input, filters, kernel, stride, padding]) =>
    gradient({
      title: `${label}: a convolution on the kernel set fastConvKernels matches centred differences`,
      run: (rng) =>
        // The scope ends with the call, so checks of other components run later in this process stay on the plain loops.
        withKernels(fastConvKernels, () => {
          resetDispatchCounts();
          const geometry = geometry2d([input[2], input[3]], kernel, stride, padding);
          const layer = new KernelConvDouble(
            rng.normalTensor([filters, input[1], ...kernel]),
            rng.normalTensor([filters]),
            geometry,
          );
          // tiny 1e-4: an entry near 0 is judged by its absolute error. Over 1,000 seeds the worst
          // relative error was 1.2e-5, the plain loops' alike; a wrong gradient is off by O(1).
          const report = layerGradients(layer, rng.normalTensor([...input]), { tiny: 1e-4 });
          return { report, dispatched: dispatchCount('conv2d', 'cpu') };
        }),
      verify: ({ report, dispatched }) => {
        expect(dispatched, "runKernel('conv2d') ran the registered kernel").toBeGreaterThan(0);
        expectGradientsMatch(report, 1e-4);
      },
      hiddenRerun: true,
      matchReference: false,
    }),
  ),
  knownValue({
    title: 'im2col of a 1×1×3×3 input with a 2×2 valid window lists the four windows as columns',
    run: () =>
      tensorData(
        im2col(
          tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]),
          { stride: [1, 1], padBefore: [0, 0] },
          [2, 2],
          [2, 2],
        ),
        'im2col',
      ),
    verify: (cols) =>
      expectClose(
        cols,
        [
          [1, 2, 4, 5],
          [2, 3, 5, 6],
          [4, 5, 7, 8],
          [5, 6, 8, 9],
        ],
        0,
        'im2col rows are kernel taps (m, n), columns are output positions (i, j)',
      ),
  }),
  knownValue({
    title:
      'col2im of all-ones columns (3×3 input, 2×2 valid window) counts how many windows read each pixel: [[1, 2, 1], [2, 4, 2], [1, 2, 1]]',
    run: () =>
      tensorData(
        col2im(
          new Tensor([4, 4], new Float64Array(16).fill(1)),
          [1, 1, 3, 3],
          { stride: [1, 1], padBefore: [0, 0] },
          [2, 2],
          [2, 2],
        ),
        'col2im',
      ),
    verify: (x) =>
      expectClose(
        x,
        nd([
          [
            [
              [1, 2, 1],
              [2, 4, 2],
              [1, 2, 1],
            ],
          ],
        ]),
        0,
        'col2im must ADD (+=) each column entry to the pixel it came from: the centre is read by all four windows',
      ),
  }),
]);
