import { expect } from 'vitest';
import { NonFiniteError, ShapeError, StateError, ValueError } from '../../framework/errors.js';
import { type Layer, type Rng, Tensor, zeros } from '../../framework/index.js';
import type { PoolingOptions } from '../../framework/nn/pooling-window.js';
import { badInput, gradient, property, training } from '../harness/checks.js';
import { intIn, layerGradients, tensorData, thrown, type ErrorData, type TensorData } from '../harness/data.js';
import { expectClose, expectError, expectGradientsMatch, fail } from '../harness/verify.js';
import { FlattenDouble, ReluDouble } from './cnn-doubles.js';
import { sameData } from './conv-definition.js';
import { ConvDouble } from './conv-double.js';
import { denseDouble } from './dense-double.js';
import { trainOnStrokes, verifyStrokeTraining } from './stroke-training.js';

/**
 * The checks the pooling layers pass alike, written once for MaxPool (Exercise 2), AvgPool and
 * GlobalAvgPool (Exercise 6); each test file adds its own laws and seed-cited known values. A spec
 * names the class under test, the definition to compare with (plain loops on plain data:
 * conv-definition.ts, avg-pool-definition.ts) and the formulas for the failure messages. The checks
 * call only the class the spec passes in: no pooling layer's checks depend on another's student code,
 * and the training network around the pool is test-local doubles.
 */

/** A window [ph, pw] at stride [sh, sw]; GlobalAvgPool's is the whole image, [H, W] at [H, W]. */
export interface PoolWindow {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
}

/** What the definition gives: the output and ∂L/∂x for the upstream gradient. */
export interface PoolDefinition {
  readonly y: TensorData;
  readonly dx: TensorData;
}

/**
 * The class under test and how its window is given: MaxPool and AvgPool take `{ kernelSize, stride }`
 * and pool 'valid' positions, ⌊(n − p)/s⌋ + 1 per axis, to [batch, C, oh, ow]; GlobalAvgPool takes no
 * options, its window is the whole image and its output is flat, [batch, C].
 */
export type PoolingGeometry =
  | { readonly kind: 'window'; readonly layer: new (options: PoolingOptions) => Layer }
  | { readonly kind: 'global'; readonly layer: new () => Layer };

/** The training check: a test-local 3×3 'same' convolution with `filters` filters, ReLU, the pool, a dense layer. */
export interface PoolTraining {
  readonly filters: number;
  readonly iterations: number;
  readonly lr: number;
}

/** A pooling layer, as its test file describes it. */
export interface PoolingSpec<Mistake extends string = never> {
  /** The class's name, as titles and failure messages say it. */
  readonly name: string;
  readonly geometry: PoolingGeometry;
  /** Forward as the handout writes it (and where to look), for failure messages. */
  readonly forward: string;
  /** Backward as the handout writes it (and where to look). */
  readonly backward: string;
  /** What the random check compares with, as its title says it. */
  readonly definitionName: string;
  /** The definition on plain data; with `mistake`, the gradient of that known wrong backward. */
  readonly definition: (x: TensorData, window: PoolWindow, dy: TensorData, mistake?: Mistake) => PoolDefinition;
  /** Each known wrong backward, and what the failure message says when the gradient is that one. */
  readonly mistakes: Readonly<Record<Mistake, string>>;
  /** How close forward must come to the definition: 0 where it copies a value (a maximum), 1e-12 for a mean. */
  readonly forwardTolerance: number;
  /** Random cases in the definition check. */
  readonly randomCases: number;
  /** The stroke-image training check, where the component has it here. */
  readonly training?: PoolTraining;
}

/** One forward and backward pass as data, for `verifyPoolPass`. */
export interface PoolPass {
  readonly window: PoolWindow;
  readonly x: TensorData;
  readonly y: TensorData;
  readonly dy: TensorData;
  readonly dx: TensorData;
}

type AnyCheck = ReturnType<typeof property>;

/** The layer under test; a windowed pool gets `options` (a 2×2 window unless given). */
function build(geometry: PoolingGeometry, options: PoolingOptions = { kernelSize: [2, 2] }): Layer {
  return geometry.kind === 'window' ? new geometry.layer(options) : new geometry.layer();
}

/** The window the layer pools `shape` with: the given one, or the whole image for GlobalAvgPool. */
function windowOf(geometry: PoolingGeometry, shape: readonly number[], window?: PoolWindow): PoolWindow {
  if (geometry.kind === 'window' && window) return window;
  const image: [number, number] = [shape[2], shape[3]];
  return { kernel: image, stride: image };
}

/** Run side: forward and backward of the layer under test on `x`, with upstream gradient `upstream(shape)`. */
export function poolPass<Mistake extends string>(
  spec: PoolingSpec<Mistake>,
  window: PoolWindow | undefined,
  x: Tensor,
  upstream: (shape: readonly number[]) => Tensor,
): PoolPass {
  const pool = build(spec.geometry, window && { kernelSize: window.kernel, stride: window.stride });
  const y = pool.forward(x);
  const dy = upstream(y.shape);
  const dx = pool.backward(dy);
  return {
    window: windowOf(spec.geometry, x.shape, window),
    x: tensorData(x, 'x'),
    y: tensorData(y, `${spec.name}.forward`),
    dy: tensorData(dy, '∂L/∂y'),
    dx: tensorData(dx, `${spec.name}.backward`),
  };
}

/** Verify side: the pass agrees with the definition; a gradient that is one of the spec's known mistakes is named as such. */
export function verifyPoolPass<Mistake extends string>(
  spec: PoolingSpec<Mistake>,
  pass: PoolPass,
  label: string,
): void {
  const want = spec.definition(pass.x, pass.window, pass.dy);
  const where =
    spec.geometry.kind === 'window'
      ? `${label} (window [${pass.window.kernel.join(', ')}], stride [${pass.window.stride.join(', ')}], x [${pass.x.shape.join(', ')}])`
      : `${label} (x [${pass.x.shape.join(', ')}])`;
  if (pass.y.shape.join() !== want.y.shape.join()) {
    const rule =
      spec.geometry.kind === 'window'
        ? "'valid': ⌊(n − window)/stride⌋ + 1 positions per axis"
        : 'one value per example and channel, [batch, C]';
    fail(
      `${where}: ${spec.name}.forward returned shape [${pass.y.shape.join(', ')}], expected [${want.y.shape.join(', ')}] (${rule})`,
    );
  }
  expectClose(pass.y, want.y, spec.forwardTolerance, `${where}: ${spec.name}.forward, ${spec.forward}`);
  if (!sameData(pass.dx, want.dx, 1e-12)) {
    for (const mistake of Object.keys(spec.mistakes) as Mistake[]) {
      if (sameData(pass.dx, spec.definition(pass.x, pass.window, pass.dy, mistake).dx, 1e-12))
        fail(`${where}: ${spec.name}.backward ${spec.mistakes[mistake]}`);
    }
  }
  expectClose(pass.dx, want.dx, 1e-12, `${where}: ${spec.name}.backward, ${spec.backward}`);
}

/** A random case: a window and stride of 1 to 3 and an input they fit, or any small image for GlobalAvgPool. */
function randomCase(geometry: PoolingGeometry, rng: Rng): { window?: PoolWindow; shape: number[] } {
  if (geometry.kind === 'global')
    return { shape: [intIn(rng, 1, 3), intIn(rng, 1, 4), intIn(rng, 1, 6), intIn(rng, 1, 6)] };
  const kernel: [number, number] = [intIn(rng, 1, 3), intIn(rng, 1, 3)];
  const stride: [number, number] = [intIn(rng, 1, 3), intIn(rng, 1, 3)];
  return {
    window: { kernel, stride },
    shape: [intIn(rng, 1, 2), intIn(rng, 1, 3), intIn(rng, kernel[0], 8), intIn(rng, kernel[1], 8)],
  };
}

/**
 * Centred-difference cases. Normal samples are distinct, so no maximum is tied and max pooling is
 * differentiable there.
 */
const GRADIENT_CASES: Readonly<
  Record<PoolingGeometry['kind'], readonly { label: string; options?: PoolingOptions; shape: number[] }[]>
> = {
  window: [
    { label: '2×2 stride 2', options: { kernelSize: [2, 2] }, shape: [2, 2, 4, 6] },
    { label: '3×3 stride 2 (overlapping windows)', options: { kernelSize: [3, 3], stride: 2 }, shape: [2, 1, 7, 7] },
    {
      label: '2×3 stride [1, 2], a column left over',
      options: { kernelSize: [2, 3], stride: [1, 2] },
      shape: [1, 2, 5, 8],
    },
  ],
  global: [
    { label: '[2, 3, 4, 5]', shape: [2, 3, 4, 5] },
    { label: '[1, 2, 1, 7] (a single row)', shape: [1, 2, 1, 7] },
    { label: '[3, 1, 6, 6]', shape: [3, 1, 6, 6] },
  ],
};

/** A call the layer must refuse: with which error, and words its message must hold. */
interface Refusal {
  readonly what: string;
  readonly attempt: () => unknown;
  readonly error: string;
  readonly mentions?: readonly string[];
}

/** The bad options and input of a pooling layer; `pool` has pooled a [1, 1, 4, 4] (window) or [2, 3, 4, 4] (global) input. */
function refusals<Mistake extends string>(spec: PoolingSpec<Mistake>, pool: () => Layer): readonly Refusal[] {
  const { name, geometry } = spec;
  const withNaN = (): Tensor => {
    const x = zeros([1, 2, 4, 4]);
    x.set(NaN, 0, 1, 2, 0);
    return x;
  };
  const common: Refusal[] = [
    {
      what: `${name}.forward of a [2, 8, 8] input`,
      attempt: () => build(geometry).forward(zeros([2, 8, 8])),
      error: ShapeError.name,
      mentions: [`${name}.forward expected input [batch, channels, height, width], got [2, 8, 8]`],
    },
    {
      what: `${name}.forward of an input holding NaN`,
      attempt: () => build(geometry).forward(withNaN()),
      error: NonFiniteError.name,
    },
    {
      what: `${name}.backward before any forward`,
      attempt: () => build(geometry).backward(zeros(geometry.kind === 'window' ? [1, 1, 1, 1] : [1, 1])),
      error: StateError.name,
      mentions: ['before forward'],
    },
  ];
  if (geometry.kind === 'global')
    return [
      ...common,
      {
        what: `${name}.forward of a [3, 8] input`,
        attempt: () => build(geometry).forward(zeros([3, 8])),
        error: ShapeError.name,
      },
      {
        what: `${name}.backward of a [2, 3, 1, 1] gradient (the output is [2, 3])`,
        attempt: () => pool().backward(zeros([2, 3, 1, 1])),
        error: ShapeError.name,
        mentions: ['gradOutput'],
      },
      {
        what: `${name}.backward of a [2, 4] gradient after a [2, 3, 4, 4] input`,
        attempt: () => pool().backward(zeros([2, 4])),
        error: ShapeError.name,
        mentions: ['gradOutput'],
      },
    ];
  const options = (kernelSize: number[], stride?: number | number[]): Refusal => ({
    what: `new ${name} with kernelSize [${kernelSize.join(', ')}]${stride === undefined ? '' : ` and stride ${JSON.stringify(stride)}`}`,
    attempt: () => new geometry.layer({ kernelSize, stride }),
    error: ValueError.name,
    mentions: [stride === undefined ? 'kernelSize' : 'stride must be a positive integer'],
  });
  return [
    options([2]),
    options([1.5, 2]),
    options([2, 2], 1.5),
    options([2, 2], 0),
    options([2, 2], [1, 0]),
    ...common,
    {
      what: `${name}.forward of a 2×5 input with a 3×3 window`,
      attempt: () => new geometry.layer({ kernelSize: [3, 3] }).forward(zeros([1, 1, 2, 5])),
      error: ShapeError.name,
      mentions: ['does not fit'],
    },
    {
      what: `${name}.backward of a [1, 1, 3, 3] gradient after a [1, 1, 4, 4] input pooled to [1, 1, 2, 2]`,
      attempt: () => pool().backward(zeros([1, 1, 3, 3])),
      error: ShapeError.name,
      mentions: ['gradOutput'],
    },
  ];
}

/** The training check: Conv(1→f, 3×3, same) → ReLU → the pool (2×2 where windowed) → [Flatten] → Dense(→ 4), Adam. */
function trainingCheck<Mistake extends string>(spec: PoolingSpec<Mistake>, options: PoolTraining): AnyCheck {
  const windowed = spec.geometry.kind === 'window';
  // 8×8 images: a 2×2 window leaves 4×4 per filter; the global pool one number per filter.
  const features = windowed ? options.filters * 16 : options.filters;
  const network = `Conv(1→${options.filters}, 3×3, same) → ReLU → your ${spec.name} → ${windowed ? 'Flatten → ' : ''}Dense(${features}→4)`;
  return training({
    title: `${spec.name} between a test-local conv and dense layer learns to classify held-out stroke images (accuracy ≥ 0.8; chance 0.25)`,
    weight: 2,
    // Only the pool is the student's; its backward carries the gradient to the convolution, so both passes matter.
    run: (rng) => {
      const model = rng.fork();
      const layers = [
        ConvDouble.same(1, options.filters, [8, 8], [3, 3], model),
        new ReluDouble(),
        build(spec.geometry),
        ...(windowed ? [new FlattenDouble()] : []),
        denseDouble(features, 4, model),
      ];
      return trainOnStrokes(layers, rng, {
        iterations: options.iterations,
        batchSize: 16,
        lr: options.lr,
        what: `the network with your ${spec.name}`,
      });
    },
    verify: (data) =>
      verifyStrokeTraining(data, 0.8, network, `Check ${spec.name}.forward and backward (the checks above say which).`),
    matchReference: false,
  });
}

/**
 * The shared checks of a pooling layer: forward and backward against the definition on random cases,
 * centred differences, bad options and input, and (where the spec asks) training on stroke images.
 */
export function poolingChecks<Mistake extends string>(spec: PoolingSpec<Mistake>): AnyCheck[] {
  const { name, geometry } = spec;
  const shapes = geometry.kind === 'window' ? 'windows, strides and sizes' : 'shapes';
  const refused = refusals(spec, () => {
    // The layer of the working call, which backward may only use after forward.
    const pool = build(geometry);
    pool.forward(zeros(geometry.kind === 'window' ? [1, 1, 4, 4] : [2, 3, 4, 4]));
    return pool;
  });
  const checks: AnyCheck[] = [
    property({
      title: `forward and backward match ${spec.definitionName} for random ${shapes}`,
      weight: 2,
      run: (rng) =>
        Array.from({ length: spec.randomCases }, () => {
          const { window, shape } = randomCase(geometry, rng);
          return poolPass(spec, window, rng.normalTensor(shape), (s) => rng.normalTensor(s));
        }),
      verify: (passes) =>
        passes.forEach((pass, i) => {
          verifyPoolPass(spec, pass, `case ${i}`);
        }),
      hiddenRerun: true,
    }),
    ...GRADIENT_CASES[geometry.kind].map(({ label, options, shape }) =>
      gradient({
        title: `match centred differences: ${label}`,
        run: (rng) => layerGradients(build(geometry, options), rng.normalTensor(shape)),
        verify: (report) => expectGradientsMatch(report, 1e-7),
        hiddenRerun: true,
        matchReference: false,
      }),
    ),
    badInput({
      title:
        geometry.kind === 'window'
          ? 'explains bad options and input: a 1-D window, non-integer window or stride, stride 0, a 3-D input, a window larger than the input, NaN, backward before forward, a gradient of the wrong shape'
          : 'explains bad input: a 3-D or 2-D input, NaN, backward before forward, a gradient of the wrong shape ([b, C, 1, 1] or [b, C + 1])',
      run: () => {
        // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
        const input = zeros(geometry.kind === 'window' ? [1, 1, 4, 4] : [2, 3, 4, 4]);
        const shape = tensorData(build(geometry).forward(input), `${name}.forward`).shape;
        return { shape, errors: refused.map(({ attempt }) => thrown(attempt)) };
      },
      verify: ({ shape, errors }: { shape: number[]; errors: (ErrorData | null)[] }) => {
        const [want, what] =
          geometry.kind === 'window'
            ? [[1, 1, 2, 2], `${name}.forward of [1, 1, 4, 4] with a 2×2 window`]
            : [[2, 3], `${name}.forward of [2, 3, 4, 4] returns [batch, C]`];
        expect(shape, what).toEqual(want);
        refused.forEach((refusal, i) => {
          expectError(errors[i], refusal.error, refusal.what, refusal.mentions);
        });
      },
    }),
  ];
  return spec.training ? [...checks, trainingCheck(spec, spec.training)] : checks;
}

/** One example with one channel, [1, 1, H, W], from its rows: an expected value for `verify`. */
export function plane(rows: readonly (readonly number[])[]): TensorData {
  return { shape: [1, 1, rows.length, rows[0].length], data: rows.flat() };
}

/** The same image as a tensor, an input for `run`. */
export function planeTensor(rows: readonly (readonly number[])[]): Tensor {
  return new Tensor([1, 1, rows.length, rows[0].length], Float64Array.from(rows.flat()));
}

/** Seed 000_62f7213e93c3733a.txt lines 2183–2186: the 4×4 feature map its pooling example starts from. */
export function seed000FeatureMap(): Tensor {
  return planeTensor([
    [1, 3, 6, 2],
    [3, 8, 1, 1],
    [2, 9, 2, 1],
    [5, 1, 3, 1],
  ]);
}
