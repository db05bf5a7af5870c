import fc from 'fast-check';
import { Rng, Tensor, type Layer, type Parameter } from '../../framework/index.js';
import {
  drawSamples,
  expectClose,
  expectGradientsMatch,
  fail,
  gradient,
  gradientData,
  intIn,
  layerGradients,
  property,
  tensorData,
  training,
  type TensorData,
} from '../harness/index.js';
import { digitsCnn } from './cnn-doubles.js';
import { trainOnGlyphs, verifyGlyphTraining } from './digit-glyphs.js';
import {
  geometry2d,
  reshaped,
  sameData,
  scaled,
  type ConvDefinition,
  type Geometry2d,
  type Padding,
} from './conv-definition.js';

/**
 * The checks Exercise 2's Conv and Exercise 6's DilatedConv pass alike, written once (each test file adds
 * its own known values and laws): random geometries compared with a definition on plain data, centred
 * differences, and a small CNN that must learn digit glyphs. The layer under test comes in through the
 * spec (`make`), with the definition to compare with and the formulas for the messages; everything else
 * is a test-local double. ConvFastPath shares the geometry generator.
 *
 * A geometry is y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m·dh − pt, j·sw + n·dw − pl] · w[o, c, m, n]
 * over x [batch, C, H, W] (a 1-D case has H = KH = 1 and returns [batch, O, L′]); Exercise 2 has d = 1.
 */

/** One convolution's geometry and the seed of its values: what a sample holds, and what verify recomputes from. */
export interface ConvGeometry {
  readonly oneD: boolean;
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly height: number;
  readonly width: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  /** Dilation per axis (1 in Exercise 2). */
  readonly dh: number;
  readonly dw: number;
  readonly padding: Padding;
  readonly seed: number;
}

/** The largest value each field may take (the smallest is 1); `oneD` allows 1-D geometries. */
export interface GeometryLimits {
  readonly oneD: boolean;
  readonly batch: number;
  readonly channels: number;
  readonly size: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
}

/** The span of a kernel of size k dilated by d: d·(k − 1) + 1. */
export const span = (k: number, d: number): number => d * (k - 1) + 1;

/** Random geometries within `limits`: even kernels, 1×1 kernels, strides that do not divide the size, both paddings. */
export function convGeometries(limits: GeometryLimits): fc.Arbitrary<ConvGeometry> {
  const upTo = (max: number) => fc.integer({ min: 1, max });
  return fc
    .record({
      oneD: limits.oneD ? fc.boolean() : fc.constant(false),
      batch: upTo(limits.batch),
      inChannels: upTo(limits.channels),
      outChannels: upTo(limits.channels),
      height: upTo(limits.size),
      width: upTo(limits.size),
      kh: upTo(limits.kernel),
      kw: upTo(limits.kernel),
      sh: upTo(limits.stride),
      sw: upTo(limits.stride),
      dh: upTo(limits.dilation),
      dw: upTo(limits.dilation),
      padding: fc.constantFrom<Padding>('same', 'valid'),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    })
    .map((g) => (g.oneD ? { ...g, height: 1, kh: 1, sh: 1, dh: 1 } : g))
    .filter((g) => g.padding === 'same' || (g.height >= span(g.kh, g.dh) && g.width >= span(g.kw, g.dw)));
}

/** A 2-D geometry (no dilation) drawn from a check's Rng: kernels 1–4, strides 1–3, sizes up to 8, batch up to 3. */
export function randomGeometry(rng: Rng, overrides: Partial<ConvGeometry> = {}): ConvGeometry {
  const [kh, kw] = [intIn(rng, 1, 4), intIn(rng, 1, 4)];
  const padding: Padding = rng.uniform() < 0.5 ? 'same' : 'valid';
  return {
    oneD: false,
    batch: intIn(rng, 1, 3),
    inChannels: intIn(rng, 1, 3),
    outChannels: intIn(rng, 1, 3),
    height: intIn(rng, padding === 'valid' ? kh : 1, 8),
    width: intIn(rng, padding === 'valid' ? kw : 1, 8),
    kh,
    kw,
    sh: intIn(rng, 1, 3),
    sw: intIn(rng, 1, 3),
    dh: 1,
    dw: 1,
    padding,
    seed: rng.int(1_000_000),
    ...overrides,
  };
}

/** The geometry in words, for failure messages; `dilated` names the dilation too. */
export function describeGeometry(g: ConvGeometry, dilated = false): string {
  const filters = `'${g.padding}', ${g.outChannels} filters`;
  if (g.oneD)
    return `1-D x [${g.batch}, ${g.inChannels}, ${g.width}], kernel [${g.kw}]${dilated ? `, dilation ${g.dw}` : ''}, stride ${g.sw}, ${filters}`;
  const dilation = dilated ? `, dilation [${g.dh}, ${g.dw}]` : '';
  return `x [${g.batch}, ${g.inChannels}, ${g.height}, ${g.width}], kernel [${g.kh}, ${g.kw}]${dilation}, stride [${g.sh}, ${g.sw}], ${filters}`;
}

/** The 2-D geometry of `g` with the kernel's span (d·(k − 1) + 1) as its size, as conv-definition.ts reads it. */
export function spanGeometry(g: ConvGeometry): Geometry2d {
  return geometry2d([g.height, g.width], [span(g.kh, g.dh), span(g.kw, g.dw)], [g.sh, g.sw], g.padding);
}

/** What the checks need of a convolution layer (the student's Conv). */
export interface ConvLayer extends Layer {
  readonly weight: Parameter;
  readonly bias: Parameter;
}

/** The options the checks build a layer with (Conv's constructor options): the kernel, then its geometry and rng. */
export type ConvLayerOptions = { inChannels: number; outChannels: number; kernelSize: readonly number[] } & Partial<{
  stride: number | readonly number[];
  padding: Padding;
  dilation: number | readonly number[];
  rng: Rng;
}>;

/** A sample's data: the geometry, the values drawn, and what the layer returned. */
export interface ConvPass {
  readonly spec: ConvGeometry;
  readonly x: TensorData;
  readonly w: TensorData;
  readonly b: number[];
  readonly y: TensorData;
  readonly dy?: TensorData;
  readonly dx?: TensorData;
  readonly grads?: Record<string, TensorData>;
}

/** A mistake the comparison names before the plain mismatch: the output it gives, and what to say. */
export interface ForwardMistake {
  /** The output of the mistake in 4-D (undefined where it does not apply to `g`). */
  readonly output: (g: ConvGeometry, x4: TensorData, w4: TensorData, bias: readonly number[]) => TensorData | undefined;
  readonly message: string;
}

/** The layer under test, as a test file describes it. */
export interface ConvSpec {
  /** Builds the layer under test (the student's class). */
  readonly make: (options: ConvLayerOptions) => ConvLayer;
  /** Whether the checks pass `dilation` (Exercise 6); Exercise 2's checks never do, so Conv does not need dilated-kernel.ts. */
  readonly dilated: boolean;
  /** The names in messages and data labels, e.g. 'Conv.forward' and 'Conv.backward (dilated)'. */
  readonly forwardName: string;
  readonly backwardName: string;
  /** The random geometries of the property checks (convGeometries). */
  readonly geometries: fc.Arbitrary<ConvGeometry>;
  /**
   * The definition to compare with, in 4-D: x [B, C, H, W], w [O, C, KH, KW], and the gradients of Σ dy ⊙ y
   * (dw in w's shape).
   */
  readonly definition: (
    g: ConvGeometry,
    x4: TensorData,
    w4: TensorData,
    bias: readonly number[],
    dy4?: TensorData,
  ) => ConvDefinition;
  /** The formulas as the handout writes them, for the messages. */
  readonly formulas: {
    readonly outputSize: string;
    readonly forward: string;
    readonly inputGradient: string;
    readonly weightGradient: string;
    readonly biasGradient: string;
  };
  /** Forward mistakes named before the plain comparison. */
  readonly forwardMistakes: readonly ForwardMistake[];
  /** The random-geometry property checks: forward only, or forward and backward. */
  readonly randomChecks: readonly { title: string; weight: number; samples: number; backward: boolean }[];
  /** The geometries of the gradient checks. */
  readonly gradientCases: readonly { label: string; options: Omit<ConvLayerOptions, 'rng'>; input: number[] }[];
  /** The training check: its title, the options of the 1→4 3×3 layer beyond those, the schedule and the hint. */
  readonly training: {
    readonly title: string;
    readonly options: Partial<ConvLayerOptions>;
    readonly schedule: { iterations: number; batchSize: number; lr?: number };
    readonly what: string;
    readonly hint: string;
  };
}

/** The layer of geometry `g` (stride, padding and, where the spec is dilated, dilation). */
export function layerOf(spec: ConvSpec, g: ConvGeometry, rng: Rng): ConvLayer {
  return spec.make({
    inChannels: g.inChannels,
    outChannels: g.outChannels,
    kernelSize: g.oneD ? [g.kw] : [g.kh, g.kw],
    stride: g.oneD ? g.sw : [g.sh, g.sw],
    ...(spec.dilated ? { dilation: g.oneD ? g.dw : [g.dh, g.dw] } : {}),
    padding: g.padding,
    rng,
  });
}

/** A layer with the given weights and bias (zeros without one); the weights' shape fixes the kernel. */
export function convWith(
  spec: ConvSpec,
  weight: Tensor,
  bias?: Tensor,
  options: Omit<Partial<ConvLayerOptions>, 'kernelSize'> = {},
): ConvLayer {
  const [outChannels, inChannels, ...kernelSize] = weight.shape;
  const layer = spec.make({ inChannels, outChannels, kernelSize, rng: new Rng(1), ...options });
  layer.weight.assign(weight);
  layer.bias.assign(bias ?? new Tensor([outChannels], new Float64Array(outChannels)));
  return layer;
}

/** The shape of the output for a zero input of shape `input` (a 3×3 kernel, one filter, unless `options` say otherwise). */
export function outputShape(spec: ConvSpec, options: Partial<ConvLayerOptions>, input: readonly number[]): number[] {
  const layer = spec.make({ inChannels: input[1], outChannels: 1, kernelSize: [3, 3], rng: new Rng(1), ...options });
  const zeros = new Tensor([...input], new Float64Array(input.reduce((a, b) => a * b, 1)));
  return tensorData(layer.forward(zeros), spec.forwardName).shape;
}

/** A layer of geometry `g` with random weights and bias (from g.seed), forward on a random input, and backward if asked. */
export function convPass(spec: ConvSpec, g: ConvGeometry, backward: boolean): ConvPass {
  const rng = new Rng(g.seed);
  const layer = layerOf(spec, g, rng.fork());
  const w = rng.normalTensor([g.outChannels, g.inChannels, ...(g.oneD ? [g.kw] : [g.kh, g.kw])]);
  const b = rng.normalTensor([g.outChannels]);
  const x = rng.normalTensor(g.oneD ? [g.batch, g.inChannels, g.width] : [g.batch, g.inChannels, g.height, g.width]);
  layer.weight.assign(w);
  layer.bias.assign(b);
  const y = tensorData(layer.forward(x), spec.forwardName);
  const pass = { spec: g, x: tensorData(x, 'x'), w: tensorData(w, 'w'), b: Array.from(b.data), y };
  if (!backward) return pass;
  const dy = rng.normalTensor(y.shape);
  const dx = tensorData(layer.backward(dy), spec.backwardName);
  return { ...pass, dy: tensorData(dy, '∂L/∂y'), dx, grads: gradientData(layer.parameters(), spec.backwardName) };
}

/**
 * Verify side: the pass against the spec's definition, forward always, the three gradients where the
 * pass has them. Names the output-size rule, the spec's forward mistakes, a weight gradient divided by
 * the batch and a missing bias gradient before the plain comparison.
 */
export function verifyConvPass(spec: ConvSpec, pass: ConvPass, label: string): void {
  const g = pass.spec;
  const x4 = reshaped(pass.x, [g.batch, g.inChannels, g.height, g.width]);
  const w4 = reshaped(pass.w, [g.outChannels, g.inChannels, g.kh, g.kw]);
  const [oh, ow] = spanGeometry(g).outShape;
  const dy4 = pass.dy ? reshaped(pass.dy, [g.batch, g.outChannels, oh, ow]) : undefined;
  const want = spec.definition(g, x4, w4, pass.b, dy4);
  const outShape = g.oneD ? [g.batch, g.outChannels, ow] : [g.batch, g.outChannels, oh, ow];
  if (pass.y.shape.join() !== outShape.join()) {
    fail(
      `${label}: ${spec.forwardName} returned shape [${pass.y.shape.join(', ')}], expected [${outShape.join(', ')}]. ${spec.formulas.outputSize}`,
    );
  }
  const y4 = reshaped(pass.y, want.y.shape);
  if (!sameData(y4, want.y, 1e-9)) {
    for (const mistake of spec.forwardMistakes) {
      const wrong = mistake.output(g, x4, w4, pass.b);
      if (wrong && sameData(y4, wrong, 1e-9)) fail(`${label}: ${spec.forwardName} ${mistake.message}`);
    }
  }
  expectClose(y4, want.y, 1e-9, `${label}: ${spec.forwardName}, ${spec.formulas.forward}`);
  if (!pass.dx || !pass.grads) return;
  expectClose(
    reshaped(pass.dx, want.dx.shape),
    want.dx,
    1e-9,
    `${label}: ${spec.backwardName} return value ${spec.formulas.inputGradient}`,
  );
  const dw = reshaped(pass.grads.weight, want.dw.shape);
  if (g.batch > 1 && !sameData(dw, want.dw, 1e-9) && sameData(dw, scaled(want.dw, 1 / g.batch), 1e-9)) {
    fail(
      `${label}: weight.grad is ∂L/∂w divided by the batch size ${g.batch}. ${spec.backwardName} must sum over the batch (the loss already averages): ${spec.formulas.weightGradient}`,
    );
  }
  expectClose(dw, want.dw, 1e-9, `${label}: weight.grad, ${spec.formulas.weightGradient}`);
  if (pass.grads.bias.data.every((v) => v === 0) && want.db.data.some((v) => Math.abs(v) > 1e-9)) {
    fail(`${label}: bias.grad is all zeros; ${spec.backwardName} must add ${spec.formulas.biasGradient} to bias.grad`);
  }
  expectClose(pass.grads.bias, want.db, 1e-9, `${label}: bias.grad, ${spec.formulas.biasGradient}`);
}

type AnyCheck = ReturnType<typeof property>;

/** The checks Conv and DilatedConv share: random geometries against the definition, centred differences, training. */
export function convChecks(spec: ConvSpec): AnyCheck[] {
  const describe = (g: ConvGeometry): string => describeGeometry(g, spec.dilated);
  return [
    ...spec.randomChecks.map(({ title, weight, samples, backward }) =>
      property({
        title,
        weight,
        run: (rng) => drawSamples(spec.geometries, rng, samples).map((g) => convPass(spec, g, backward)),
        verify: (passes) =>
          passes.forEach((pass, i) => {
            verifyConvPass(spec, pass, `sample ${i} (${describe(pass.spec)})`);
          }),
        hiddenRerun: true,
      }),
    ),
    ...spec.gradientCases.map(({ label, options, input }) =>
      gradient({
        title: `input, weight and bias match centred differences: ${label}`,
        run: (rng) => layerGradients(spec.make({ ...options, rng: rng.fork() }), rng.normalTensor(input)),
        verify: (report) => expectGradientsMatch(report, 1e-6),
        hiddenRerun: true,
        matchReference: false,
      }),
    ),
    training({
      title: spec.training.title,
      weight: 2,
      // Layer(1→4, 3×3, same) → ReLU → MaxPool 2×2 → Flatten → Dense(64→32) → ReLU → Dense(32→10): only the first layer is the student's.
      run: (rng) => {
        const init = rng.fork();
        const conv = spec.make({
          inChannels: 1,
          outChannels: 4,
          kernelSize: [3, 3],
          ...spec.training.options,
          rng: init.fork(),
        });
        conv.weight.assign(init.normalTensor([4, 1, 3, 3], 0, Math.sqrt(2 / 9)));
        conv.bias.assign(new Tensor([4], new Float64Array(4).fill(0.1)));
        return trainOnGlyphs(digitsCnn({ conv }, init), rng, {
          ...spec.training.schedule,
          what: `the CNN with your ${spec.training.what}`,
        });
      },
      verify: (data) => verifyGlyphTraining(data, `CNN with your ${spec.training.what}`, spec.training.hint),
      matchReference: false,
    }),
  ];
}
