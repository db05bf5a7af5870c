import fc from 'fast-check';
import {
  fromArray,
  type Layer,
  NonFiniteError,
  ones,
  Rng,
  scale,
  ShapeError,
  StateError,
  type Tensor,
  tensor,
} from '../../framework/index.js';
import {
  badInput,
  drawSamples,
  expectClose,
  expectError,
  expectFinite,
  expectGradientsMatch,
  fail,
  finite,
  gradient,
  intIn,
  layerGradients,
  property,
  tensorData,
  matrix,
  thrown,
} from '../harness/index.js';

/**
 * The checks every element-wise activation of Exercise 3 passes alike (Sigmoid, TanH, LeakyReLU, ELU,
 * SELU), written once; each test file adds its own seed-cited known values, its own laws and its XOR
 * training check (activation-xor.ts).
 *
 * An activation applies one scalar function to every element, y_i = f(x_i; α), so its Jacobian is
 * diagonal and backward is ∂L/∂x_i = ∂L/∂y_i · f'(x_i; α). The test file writes f and f' out as the
 * handout does; `run` drives only the class the test file passes in, and `verify` compares with those
 * definitions, so no check here imports a student component: a broken TanH cannot fail Sigmoid's checks.
 */

/** An element-wise activation as a test file describes it. */
export interface ActivationSpec {
  /** The class name, as titles and failure messages write it: 'Sigmoid'. */
  readonly name: string;
  /** Builds the layer under test (the student's class), with α where it has one (undefined: its default). */
  readonly make: (alpha?: number) => Layer;
  /** f(x; α), written out in the test file: what forward is compared with (α is 0 where there is none). */
  readonly f: (x: number, alpha: number) => number;
  /** f'(x; α) = ∂y/∂x: what backward is compared with. */
  readonly slope: (x: number, alpha: number) => number;
  /** Forward and backward as the handout writes them, for failure messages. */
  readonly rule: { readonly forward: string; readonly backward: string };
  /** Random inputs lie in [−spread, spread]; the random batch is N(0, (spread/2)²). */
  readonly spread: number;
  /** The gradient check's input: N(0, std²) of shape [4, 5] from Rng(seed), moved off 0 where f has a kink. */
  readonly gradient: { readonly seed: number; readonly std: number; readonly kinkAtZero: boolean };
  /** The constructor's one hyper-parameter, where there is one (LeakyReLU's and ELU's α). */
  readonly parameter?: ParameterSpec;
  /** An open interval ]low, high[ that holds every output, and f's mirror law (Sigmoid, TanH). */
  readonly bounds?: BoundsSpec;
  /** Limits f reaches in double precision far out, where a naive formula overflows (Sigmoid, TanH). */
  readonly saturation?: SaturationSpec;
  /** The CPU kernels that Exercise 5 replaces, with backward taking the OUTPUT y (Sigmoid, TanH). */
  readonly kernels?: KernelsSpec;
  /** For x ≤ 0, f = c·(eˣ − 1): y > −c and the slope is y + c (ELU with c = α, SELU with c = λα). */
  readonly negativeBranch?: NegativeBranchSpec;
}

export interface ParameterSpec {
  /** As messages write it: 'α'. */
  readonly symbol: string;
  /** The constructor's default. */
  readonly default: number;
  /** Random checks draw it uniformly from [min, max]. */
  readonly min: number;
  readonly max: number;
  /** The gradient check runs the default and this value. */
  readonly gradientAlso: number;
  /** With α = 0 the activation is ReLU (LeakyReLU, ELU). */
  readonly reluAtZero: boolean;
  /** Values the constructor refuses with a RangeError, and how the check's title says it. */
  readonly refused: { readonly values: readonly number[]; readonly text: string };
}

export interface BoundsSpec {
  readonly low: number;
  readonly high: number;
  /** Random inputs of the check lie in [−spread, spread] (wide, to reach the saturated ends). */
  readonly spread: number;
  /** The law, for the title: 'is symmetric: σ(−x) = 1 − σ(x)'. */
  readonly law: string;
  /** f(−x) from y = f(x): 1 − y for Sigmoid, −y for TanH. */
  readonly mirror: (y: number) => number;
}

export interface SaturationSpec {
  /** The limits at −∞ and +∞. */
  readonly low: number;
  readonly high: number;
  /** From this |x| on f is exactly the limit in double precision. */
  readonly exactFrom: number;
  /** How to compute f without overflow, for the message when forward gives ∞ or NaN. */
  readonly hint: string;
}

export interface KernelsSpec {
  readonly forward: (x: Tensor) => Tensor;
  readonly backward: (y: Tensor, gradOutput: Tensor) => Tensor;
  /** Their exported names: ['sigmoidCpu', 'sigmoidBackwardCpu']. */
  readonly names: readonly [string, string];
  /** f' written in the output y: 'y·(1 − y)'. */
  readonly slopeOfOutput: string;
}

export interface NegativeBranchSpec {
  /** c(α), the level f saturates at as x → −∞ (negated). */
  readonly floor: (alpha: number) => number;
  /** As messages write c: 'α', 'λα'. */
  readonly symbol: string;
  /** The seed lines that give the slope y + c, where a seed does. */
  readonly slopeSource?: string;
  /** The seed lines that give the floor −c. */
  readonly floorSource: string;
}

type AnyCheck = ReturnType<typeof property>;

/** Forward on `values` with α, then backward of ∂L/∂y = 1, 2, 3, … (distinct, so a mixed-up index shows). */
function valuesPass(spec: ActivationSpec, values: readonly number[], alpha: number | undefined) {
  const layer = spec.make(alpha);
  const y = tensorData(layer.forward(fromArray([...values])), `${spec.name}.forward`);
  const dx = tensorData(layer.backward(fromArray(values.map((_, i) => i + 1))), `${spec.name}.backward`);
  return { values, y, dx };
}

/** Forward of x and backward of g on one layer with its default α. */
function tensorPass(spec: ActivationSpec, x: Tensor, g: Tensor) {
  const layer = spec.make();
  const y = tensorData(layer.forward(x), `${spec.name}.forward`);
  return {
    x: tensorData(x, 'x'),
    g: tensorData(g, 'gradOutput'),
    y,
    dx: tensorData(layer.backward(g), `${spec.name}.backward`),
  };
}

/** α as the random checks draw it, or the constant 0 where there is none. */
const alphaDraw = (spec: ActivationSpec): fc.Arbitrary<number> =>
  spec.parameter ? fc.double({ min: spec.parameter.min, max: spec.parameter.max, noNaN: true }) : fc.constant(0);

/** α for `make`: undefined (the default) where the activation has none. */
const alphaFor = (spec: ActivationSpec, alpha: number): number | undefined => (spec.parameter ? alpha : undefined);

/** The default α for the definitions. */
const defaultAlpha = (spec: ActivationSpec): number => spec.parameter?.default ?? 0;

/** ' (α = 0.3)' in messages, nothing where there is no α. */
const withAlpha = (spec: ActivationSpec, alpha: number): string =>
  spec.parameter ? ` (${spec.parameter.symbol} = ${alpha})` : '';

/** A forward and backward on a tensor against f and g·f' with the default α, finite and within 1e-12. */
function verifyTensorPass(spec: ActivationSpec, pass: ReturnType<typeof tensorPass>, where: string): void {
  const alpha = defaultAlpha(spec);
  expectFinite(pass.y, `${where}: ${spec.name}.forward`);
  expectClose(
    pass.y,
    { shape: pass.x.shape, data: pass.x.data.map((x) => spec.f(x, alpha)) },
    1e-12,
    `${where}: ${spec.name}.forward must be ${spec.rule.forward}`,
  );
  expectFinite(pass.dx, `${where}: ${spec.name}.backward`);
  expectClose(
    pass.dx,
    { shape: pass.x.shape, data: pass.g.data.map((g, i) => g * spec.slope(pass.x.data[i], alpha)) },
    1e-12,
    `${where}: ${spec.name}.backward must be ${spec.rule.backward}`,
  );
}

/** The shared checks of one activation, in the order property, gradient, bad input. */
export function activationChecks(spec: ActivationSpec): AnyCheck[] {
  return [
    definitionCheck(spec),
    ...(spec.bounds ? [boundsCheck(spec, spec.bounds)] : []),
    ...(spec.saturation ? [saturationCheck(spec, spec.saturation)] : []),
    ...(spec.kernels ? [kernelsCheck(spec, spec.kernels)] : []),
    ...(spec.negativeBranch ? negativeBranchChecks(spec, spec.negativeBranch) : []),
    gradientCheck(spec),
    badInputCheck(spec),
  ];
}

/**
 * y = f(x; α) and ∂L/∂x = ∂L/∂y · f'(x; α) on 30 random 1-D inputs with exact zeros mixed in (the kink's
 * side is where students go wrong) and random α; with α = 0 also ReLU where it should be; then on one
 * random batch of rank 3 with a random upstream gradient.
 */
function definitionCheck(spec: ActivationSpec): AnyCheck {
  const { name, parameter } = spec;
  return property({
    title: `forward and backward follow the definition on random inputs (0 included)${parameter ? ` and random ${parameter.symbol}` : ''}, and on a random batch of random shape`,
    run: (rng) => {
      const values = fc.array(fc.oneof(finite(spec.spread), fc.constant(0)), { minLength: 1, maxLength: 12 });
      const samples = drawSamples(fc.tuple(values, alphaDraw(spec)), rng, 30).map(([x, alpha]) => ({
        alpha,
        ...valuesPass(spec, x, alphaFor(spec, alpha)),
        relu: parameter?.reluAtZero ? tensorData(spec.make(0).forward(fromArray([...x])), `${name}.forward`) : null,
      }));
      const shape = [intIn(rng, 1, 5), intIn(rng, 1, 5), intIn(rng, 1, 3)];
      return { samples, batch: tensorPass(spec, rng.normalTensor(shape, 0, spec.spread / 2), rng.normalTensor(shape)) };
    },
    verify: ({ samples, batch }) => {
      samples.forEach(({ alpha, values, y, dx, relu }, i) => {
        const where = `sample ${i}${withAlpha(spec, alpha)}`;
        expectClose(
          y,
          values.map((x) => spec.f(x, alpha)),
          1e-12,
          `${where}: ${name}.forward must be ${spec.rule.forward}`,
        );
        expectClose(
          dx,
          values.map((x, k) => (k + 1) * spec.slope(x, alpha)),
          1e-12,
          `${where}: ${name}.backward of ∂L/∂y = 1, 2, 3, … must be ${spec.rule.backward}`,
        );
        if (relu) {
          expectClose(
            relu,
            values.map((x) => Math.max(0, x)),
            0,
            `sample ${i}: with ${parameter?.symbol} = 0, ${name} is ReLU, max(0, x)`,
          );
        }
      });
      verifyTensorPass(spec, batch, 'a random batch');
    },
    hiddenRerun: true,
  });
}

/** Every output lies in ]low, high[, and f(−x) = mirror(f(x)), on 40 random matrices of wide inputs. */
function boundsCheck(spec: ActivationSpec, bounds: BoundsSpec): AnyCheck {
  const { name } = spec;
  return property({
    title: `maps into ]${format(bounds.low)}, ${format(bounds.high)}[ and ${bounds.law}`,
    run: (rng) =>
      drawSamples(matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), bounds.spread), rng, 40).map(
        (rows) => {
          const x = fromArray(rows);
          return {
            x: tensorData(x, 'x'),
            y: tensorData(spec.make().forward(x), `${name}.forward`),
            mirrored: tensorData(spec.make().forward(scale(x, -1)), `${name}.forward`),
          };
        },
      ),
    verify: (samples) =>
      samples.forEach(({ x, y, mirrored }, s) => {
        y.data.forEach((v, i) => {
          if (!(v > bounds.low && v < bounds.high))
            fail(
              `sample ${s}: ${name}(${x.data[i]}) = ${v} must lie in ]${format(bounds.low)}, ${format(bounds.high)}[`,
            );
          expectClose(
            mirrored.data[i],
            bounds.mirror(v),
            1e-12,
            `sample ${s}: ${name} ${bounds.law}, broken at x = ${x.data[i]} where ${name}(x) = ${v}`,
          );
        });
      }),
    hiddenRerun: true,
  });
}

/** '−1' with the minus sign the handout uses. */
const format = (v: number): string => (v < 0 ? `−${-v}` : `${v}`);

/**
 * At ±40, ±800 and ±1000 forward is finite, within 1e-12 of f and exactly the limit from |x| = exactFrom
 * on; backward is finite and 0 there; and a batch uniform in [−900, 900] follows the definition.
 */
function saturationCheck(spec: ActivationSpec, saturation: SaturationSpec): AnyCheck {
  const { name } = spec;
  const far = [-1000, -800, -40, 40, 800, 1000];
  const limit = (x: number): number => (x < 0 ? saturation.low : saturation.high);
  return property({
    title: `stays finite far out: ${name}(x) is exactly ${format(saturation.low)} for x ≤ −${saturation.exactFrom} and ${format(saturation.high)} for x ≥ ${saturation.exactFrom} (tried at ±40, ±800, ±1000), and the gradient there is 0, not NaN`,
    run: (rng) => ({
      fixed: tensorPass(spec, tensor(far, [1, 6]), ones([1, 6])),
      random: tensorPass(spec, rng.uniformTensor([4, 5], -900, 900), rng.normalTensor([4, 5])),
    }),
    verify: ({ fixed, random }) => {
      expectFinite(fixed.y, `${name}.forward at ±40, ±800, ±1000 (${saturation.hint})`);
      expectClose(
        fixed.y,
        [far.map((x) => spec.f(x, defaultAlpha(spec)))],
        1e-12,
        `${name} at −1000, −800, −40, 40, 800, 1000`,
      );
      far.forEach((x, i) => {
        if (Math.abs(x) >= saturation.exactFrom && fixed.y.data[i] !== limit(x))
          fail(`${name}(${x}) is ${fixed.y.data[i]}, expected exactly ${limit(x)} (${saturation.hint})`);
      });
      expectFinite(fixed.dx, `${name}.backward far out: ${spec.rule.backward}; it must be 0 there, not NaN`);
      expectClose(
        fixed.dx,
        [far.map((x) => spec.slope(x, defaultAlpha(spec)))],
        1e-12,
        `${name}.backward far out: ${spec.rule.backward}`,
      );
      far.forEach((x, i) => {
        if (Math.abs(x) >= saturation.exactFrom && fixed.dx.data[i] !== 0)
          fail(`${name}.backward at x = ${x} is ${fixed.dx.data[i]}, expected exactly 0: ${spec.rule.backward}`);
      });
      verifyTensorPass(spec, random, 'inputs uniform in [−900, 900]');
    },
    hiddenRerun: true,
  });
}

/** The two CPU kernels called directly on a 1-D tensor, backward given the OUTPUT y. */
function kernelsCheck(spec: ActivationSpec, kernels: KernelsSpec): AnyCheck {
  const [forwardName, backwardName] = kernels.names;
  const x = [-1, 0, 2, -0.5, 1e-9];
  const g = [5, 6, 7, -1, 2];
  return property({
    title: `the CPU kernels ${forwardName} and ${backwardName} on a 1-D tensor (what Exercise 5 replaces)`,
    run: () => {
      const y = kernels.forward(tensor(x, [5]));
      return {
        forward: tensorData(y, forwardName),
        backward: tensorData(kernels.backward(y, tensor(g, [5])), backwardName),
      };
    },
    verify: ({ forward, backward }) => {
      expectClose(
        forward,
        x.map((v) => spec.f(v, defaultAlpha(spec))),
        1e-12,
        `${forwardName}(x): ${spec.rule.forward}, element by element, same shape`,
      );
      expectClose(
        backward,
        x.map((v, i) => g[i] * spec.slope(v, defaultAlpha(spec))),
        1e-12,
        `${backwardName}(y, gradOutput): gradOutput · ${kernels.slopeOfOutput}, where the first argument is the OUTPUT y`,
      );
    },
  });
}

/**
 * For x ≤ 0, f = c·(eˣ − 1): y stays above −c and f' = c·eˣ = y + c; and the branches meet at 0, which
 * the − 1 ensures. Rerun under a hidden seed where α is drawn (ELU); SELU's c is a constant.
 */
function negativeBranchChecks(spec: ActivationSpec, branch: NegativeBranchSpec): AnyCheck[] {
  const { name } = spec;
  const c = branch.symbol;
  const cite = branch.slopeSource ? ` (${branch.slopeSource})` : '';
  return [
    property({
      title: `for x ≤ 0 the slope is y + ${c}${cite} and y stays above −${c} (${branch.floorSource})`,
      run: (rng) =>
        drawSamples(fc.tuple(fc.array(finite(8), { minLength: 1, maxLength: 10 }), alphaDraw(spec)), rng, 25).map(
          ([values, alpha]) => ({ alpha, ...valuesPass(spec, values, alphaFor(spec, alpha)) }),
        ),
      verify: (samples) =>
        samples.forEach(({ alpha, values, y, dx }, i) => {
          const floor = branch.floor(alpha);
          const where = `sample ${i}${withAlpha(spec, alpha)}`;
          values.forEach((x, k) => {
            if (!(y.data[k] > -floor))
              fail(
                `${where}: ${name}.forward(${x}) = ${y.data[k]}, but ${name} never goes below −${c} = ${-floor} (it saturates there as x → −∞, ${branch.floorSource})`,
              );
            const want = (k + 1) * (y.data[k] + floor);
            if (x <= 0 && Math.abs(dx.data[k] - want) > 1e-9 * (1 + Math.abs(want)))
              fail(
                `${where}: at x = ${x} ${name}.backward gave ${dx.data[k]} for ∂L/∂y = ${k + 1}; the slope must be y + ${c} = ${y.data[k] + floor}${cite}, so expected ${want}`,
              );
          });
        }),
      hiddenRerun: spec.parameter !== undefined,
    }),
    property({
      title: `is continuous at 0${spec.parameter ? ` for every ${spec.parameter.symbol}` : ''}: the two branches meet, f(−ε) ≈ f(0) = 0 ≈ f(ε)`,
      run: (rng) =>
        (spec.parameter ? drawSamples(alphaDraw(spec), rng, 15) : [defaultAlpha(spec)]).map((alpha) => ({
          alpha,
          y: tensorData(spec.make(alphaFor(spec, alpha)).forward(fromArray([-1e-9, 0, 1e-9])), `${name}.forward`),
        })),
      verify: (samples) =>
        samples.forEach(({ alpha, y }) => {
          expectClose(
            y,
            [spec.f(-1e-9, alpha), 0, spec.f(1e-9, alpha)],
            1e-12,
            `${name}${withAlpha(spec, alpha)} at (−1e-9, 0, 1e-9): both branches must give 0 at 0, so the negative one must keep the − 1 of eˣ − 1: ${spec.rule.forward}`,
          );
        }),
      hiddenRerun: spec.parameter !== undefined,
    }),
  ];
}

/** Backward against centred differences of forward on a fixed [4, 5] input, off the kink where f has one. */
function gradientCheck(spec: ActivationSpec): AnyCheck {
  const { parameter } = spec;
  const { seed, std, kinkAtZero } = spec.gradient;
  return gradient({
    title: `input gradient matches centred differences${parameter ? ` (default ${parameter.symbol} and ${parameter.symbol} = ${parameter.gradientAlso})` : ''}${kinkAtZero ? ', away from 0' : ''}`,
    run: () => {
      const x = new Rng(seed).normalTensor([4, 5], 0, std);
      // Where the slope jumps at 0, centred differences across it mean nothing: move such values off it.
      if (kinkAtZero) {
        for (let i = 0; i < x.size; i++) if (Math.abs(x.data[i]) < 0.05) x.data[i] += 0.2;
      }
      const extra = parameter ? [layerGradients(spec.make(parameter.gradientAlso), x)] : [];
      return [layerGradients(spec.make(), x), ...extra];
    },
    verify: (reports) => {
      for (const report of reports) expectGradientsMatch(report, 1e-7);
    },
  });
}

/** The refusals are given code; a valid forward first makes the check fail on the stub all the same. */
function badInputCheck(spec: ActivationSpec): AnyCheck {
  const { name, parameter } = spec;
  return badInput({
    title: `refuses a backward before forward (StateError), NaN input (NonFiniteError) and a gradient of another shape (ShapeError)${parameter ? `, and ${parameter.refused.text} (RangeError)` : ''}`,
    run: () => {
      const layer = spec.make();
      const y = tensorData(layer.forward(fromArray([[0.5, -1]])), `${name}.forward`);
      return {
        y,
        early: thrown(() => spec.make().backward(ones([1, 1]))),
        wrongShape: thrown(() => layer.backward(ones([2, 1]))),
        nan: thrown(() => spec.make().forward(tensor([1, Number.NaN], [1, 2]))),
        refused: (parameter?.refused.values ?? []).map((alpha) => thrown(() => spec.make(alpha))),
      };
    },
    verify: ({ y, early, wrongShape, nan, refused }) => {
      const alpha = defaultAlpha(spec);
      expectClose(y, [[spec.f(0.5, alpha), spec.f(-1, alpha)]], 1e-12, `${name}.forward of [[0.5, −1]]`);
      expectError(early, StateError.name, `${name}.backward before any forward`);
      expectError(wrongShape, ShapeError.name, `${name}.backward of a [2, 1] gradient after a [1, 2] forward`);
      expectError(nan, NonFiniteError.name, `${name}.forward of an input holding NaN`);
      refused.forEach((error, i) => {
        expectError(error, RangeError.name, `new ${name}({ alpha: ${parameter?.refused.values[i]} })`);
      });
    },
  });
}
