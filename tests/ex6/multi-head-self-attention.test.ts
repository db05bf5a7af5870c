import { expect } from 'vitest';
import { fromArray, NonFiniteError, Rng, ShapeError, StateError, Tensor, ValueError } from '../../framework/index.js';
import { MultiHeadSelfAttention } from '#impl/layers/multi-head-self-attention.js';
import {
  accuracyOf,
  badInput,
  componentChecks,
  expectClose,
  expectError,
  expectGradientsMatch,
  fail,
  gradient,
  gradientData,
  intIn,
  knownValue,
  layerGradients,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { MHSA_PARAMETERS, mhsaDefinition, type MhsaParameters } from '../helpers/attention-definition.js';
import { forwardThrough, markedTokenBatch, TokenDense, trainTokenClassifier } from '../helpers/attention-doubles.js';
import { sameData } from '../helpers/conv-definition.js';

/**
 * Exercise 6, MultiHeadSelfAttention: Q = x·Wq + bq (likewise K, V), head h = attention on the columns
 * h·dk … (h+1)·dk − 1, scaled by √dk, y = [head_0 … head_{H−1}]·Wo + bo (seed 004: 7776–7795). The checks
 * compare the whole layer with the plain-loop definition in tests/helpers/attention-definition.ts; they
 * do not depend on your ScaledDotProductAttention being right (only your layer's output is compared).
 * Handout: docs/exercises/6-modern.md#multiheadselfattention
 */

const WHERE = 'MultiHeadSelfAttention';

/** A layer with the given parameter values (all eight, by name). */
function layerWith(
  options: { dModel: number; heads: number; causal?: boolean },
  values: Record<string, Tensor>,
): MultiHeadSelfAttention {
  const layer = new MultiHeadSelfAttention({ ...options, rng: new Rng(0) });
  for (const parameter of layer.parameters()) {
    const value = values[parameter.name];
    if (value) parameter.assign(value);
  }
  return layer;
}

/** Identity projections and zero biases: Q = K = V = x and y = the concatenated heads. */
function identityLayer(dModel: number, heads: number): MultiHeadSelfAttention {
  const eye = new Tensor(
    [dModel, dModel],
    new Float64Array(dModel * dModel).map((_, i) => (i % (dModel + 1) === 0 ? 1 : 0)),
  );
  const zero = new Tensor([dModel], new Float64Array(dModel));
  return layerWith({ dModel, heads }, { Wq: eye, Wk: eye, Wv: eye, Wo: eye, bq: zero, bk: zero, bv: zero, bo: zero });
}

/** A layer of random size with random parameters, one forward and backward, all drawn from `rng`. */
function randomPass(rng: Rng, causal: boolean, heads = intIn(rng, 1, 3)) {
  const dModel = heads * intIn(rng, 1, 3);
  const [batch, time] = [intIn(rng, 1, 3), intIn(rng, 2, 5)];
  const values = Object.fromEntries(
    MHSA_PARAMETERS.map((name) => [name, rng.normalTensor(name.startsWith('W') ? [dModel, dModel] : [dModel], 0, 0.6)]),
  );
  const layer = layerWith({ dModel, heads, causal }, values);
  const x = rng.normalTensor([batch, time, dModel]);
  const g = rng.normalTensor([batch, time, dModel]);
  const y = tensorData(layer.forward(x), `${WHERE}.forward`);
  const dx = tensorData(layer.backward(g), `${WHERE}.backward`);
  const parameters = Object.fromEntries(
    MHSA_PARAMETERS.map((name) => [name, tensorData(values[name], name)]),
  ) as MhsaParameters;
  return {
    heads,
    causal,
    x: tensorData(x, 'x'),
    g: tensorData(g, 'G'),
    parameters,
    y,
    dx,
    grads: gradientData(layer.parameters(), `${WHERE}.backward`),
  };
}

const GRADIENT_HINTS: Record<string, string> = {
  Wo: '∇Wo += Oᵀ·G with O the concatenated heads',
  bo: '∇bo += Σ over batch and time of G',
  Wq: '∇Wq += xᵀ·∂L/∂Q, ∂L/∂Q collected from every head in its own columns',
  Wk: '∇Wk += xᵀ·∂L/∂K',
  Wv: '∇Wv += xᵀ·∂L/∂V',
  bq: '∇bq += Σ ∂L/∂Q',
  bk: '∇bk += Σ ∂L/∂K (it is always 0: softmax ignores a shift shared by all keys)',
  bv: '∇bv += Σ ∂L/∂V',
};

function verifyPass(pass: ReturnType<typeof randomPass>): void {
  const { x, g, parameters, heads, causal } = pass;
  const want = mhsaDefinition(x, parameters, heads, causal, g);
  if (
    heads > 1 &&
    !sameData(pass.y, want.y, 1e-9) &&
    sameData(pass.y, mhsaDefinition(x, parameters, heads, causal, undefined, 'interleaved').y, 1e-9)
  ) {
    fail(
      `${WHERE}.forward splits the heads interleaved (head h takes columns h, h + H, …); head h must take the contiguous columns h·dk … (h+1)·dk − 1 (dModel ${x.shape[2]}, ${heads} heads)`,
    );
  }
  const setting = `(dModel ${x.shape[2]}, ${heads} head${heads > 1 ? 's' : ''}${causal ? ', causal' : ''})`;
  expectClose(
    pass.y,
    want.y,
    1e-9,
    `${WHERE}.forward ${setting}: y = [head_0 … head_{H−1}]·Wo + bo, head_h = softmax(Q_h·K_hᵀ/√dk)·V_h`,
  );
  expectClose(pass.dx, want.dx!, 1e-9, `${WHERE}.backward ${setting}: ∂L/∂x = ∂L/∂Q·Wqᵀ + ∂L/∂K·Wkᵀ + ∂L/∂V·Wvᵀ`);
  for (const name of MHSA_PARAMETERS) {
    if (!pass.grads[name])
      fail(`${WHERE}.parameters() has no parameter named '${name}'; expected ${MHSA_PARAMETERS.join(', ')}`);
    expectClose(pass.grads[name], want.grads![name], 1e-9, `${WHERE} ${name}.grad ${setting}: ${GRADIENT_HINTS[name]}`);
  }
}

/** Output rows of [1, T, d] in a new order: row t of the result is row order[t]. */
function rowsInOrder(x: TensorData, order: readonly number[]): TensorData {
  const width = x.shape[2];
  return { shape: x.shape, data: order.flatMap((from) => x.data.slice(from * width, (from + 1) * width)) };
}

/**
 * A known value of the layer with identity projections and zero biases on one sequence of two tokens
 * x = [x0, x1] (x1 zeros unless given; dModel is x0's width): y must be [y0, y1]; a y₀₀ equal to
 * `mistake.y00` names that mistake first.
 */
function identityExample(example: {
  title: string;
  heads: number;
  x0: number[];
  x1?: number[];
  y0: number[];
  y1: number[];
  rule: string;
  mistake?: { y00: number; message: string };
}) {
  const dModel = example.x0.length;
  return knownValue({
    title: example.title,
    run: () =>
      tensorData(
        identityLayer(dModel, example.heads).forward(
          fromArray([[example.x0, example.x1 ?? new Array<number>(dModel).fill(0)]]),
        ),
        `${WHERE}.forward`,
      ),
    verify: (y) => {
      if (example.mistake && Math.abs(y.data[0] - example.mistake.y00) < 1e-9)
        fail(`${WHERE}.forward gives y₀₀ = ${y.data[0]}: ${example.mistake.message}`);
      expectClose(y, [[example.y0, example.y1]], 1e-12, `${WHERE}.forward ${example.rule}`);
    },
  });
}

/** Feature sizes and schedule of the marked-token training (handout: docs/exercises/6-modern.md#multiheadselfattention). */
const MARKED = { length: 6, classes: 4, dModel: 8, heads: 2, batch: 32, iterations: 60, lr: 0.03, test: 200 };

export default componentChecks('ex6', 'MultiHeadSelfAttention', [
  property({
    title: 'forward, ∂L/∂x and all eight parameter gradients on random sizes agree with the definition (no mask)',
    run: (rng) => randomPass(rng, false),
    verify: verifyPass,
    hiddenRerun: true,
  }),
  property({
    title: 'causal: forward, ∂L/∂x and all eight parameter gradients on random sizes agree with the definition',
    run: (rng) => randomPass(rng, true),
    verify: verifyPass,
    hiddenRerun: true,
  }),
  property({
    title: 'heads split on contiguous columns: with 2 or 3 heads the layer agrees with the definition',
    run: (rng) => randomPass(rng, false, intIn(rng, 2, 3)),
    verify: verifyPass,
    hiddenRerun: true,
  }),
  property({
    title: 'permutation equivariance without a mask: permuting the tokens permutes the outputs and ∂L/∂x the same way',
    run: (rng) => {
      const time = 5;
      const layer = new MultiHeadSelfAttention({ dModel: 6, heads: 2, rng: rng.fork() });
      const x = rng.normalTensor([1, time, 6]);
      const g = rng.normalTensor([1, time, 6]);
      const order = rng.permutation(time);
      const permuted = (t: Tensor): Tensor =>
        new Tensor(t.shape, Float64Array.from(rowsInOrder(tensorData(t, 'x'), order).data));
      const y = tensorData(layer.forward(x), `${WHERE}.forward`);
      const dx = tensorData(layer.backward(g), `${WHERE}.backward`);
      const yPermuted = tensorData(layer.forward(permuted(x)), `${WHERE}.forward`);
      const dxPermuted = tensorData(layer.backward(permuted(g)), `${WHERE}.backward`);
      return { order, y, dx, yPermuted, dxPermuted };
    },
    verify: ({ order, y, dx, yPermuted, dxPermuted }) => {
      expectClose(
        yPermuted,
        rowsInOrder(y, order),
        1e-12,
        `${WHERE}.forward with the tokens in the order [${order.join(', ')}]: without a mask or positions, self-attention treats the tokens as a set`,
      );
      expectClose(
        dxPermuted,
        rowsInOrder(dx, order),
        1e-12,
        `${WHERE}.backward with tokens and gradient in the order [${order.join(', ')}]`,
      );
    },
    hiddenRerun: true,
  }),
  property({
    title: 'causal: the outputs of the first tokens do not change when later tokens change',
    run: (rng) => {
      const [time, dModel] = [5, 4];
      const layer = new MultiHeadSelfAttention({ dModel, heads: 2, causal: true, rng: rng.fork() });
      const x = rng.normalTensor([2, time, dModel]);
      const later = new Tensor(
        x.shape,
        x.data.map((value, i) => (Math.floor(i / dModel) % time >= 3 ? value + 1 + rng.normal() : value)),
      );
      return {
        y: tensorData(layer.forward(x), `${WHERE}.forward`),
        changed: tensorData(layer.forward(later), `${WHERE}.forward`),
      };
    },
    verify: ({ y, changed }) => {
      const [batch, time, dModel] = y.shape;
      for (let b = 0; b < batch; b++) {
        for (let t = 0; t < 3; t++) {
          const at = (b * time + t) * dModel;
          expectClose(
            { shape: [dModel], data: changed.data.slice(at, at + dModel) },
            { shape: [dModel], data: y.data.slice(at, at + dModel) },
            1e-12,
            `${WHERE}.forward (causal), sequence ${b}, token ${t}, after changing tokens 3 and 4: a token must not see later tokens`,
          );
        }
      }
    },
    hiddenRerun: true,
  }),
  property({
    title:
      'one head is single-head attention on the projections: y = softmax((x·Wq + bq)(x·Wk + bk)ᵀ/√dModel)·(x·Wv + bv)·Wo + bo',
    run: (rng) => {
      const dModel = 3;
      const layer = new MultiHeadSelfAttention({ dModel, heads: 1, rng: rng.fork() });
      const x = rng.normalTensor([2, 4, dModel]);
      return {
        x: tensorData(x, 'x'),
        parameters: Object.fromEntries(layer.parameters().map((p) => [p.name, tensorData(p.value, p.name)])),
        y: tensorData(layer.forward(x), `${WHERE}.forward`),
      };
    },
    verify: ({ x, parameters: p, y }) => {
      // Written as matrices, one sequence at a time, independently of the multi-head definition.
      const [batch, time, d] = x.shape;
      const project = (w: TensorData, b: TensorData, row: readonly number[]) =>
        Array.from({ length: d }, (_, o) => b.data[o] + row.reduce((s, v, i) => s + v * w.data[i * d + o], 0));
      const want: number[] = [];
      for (let n = 0; n < batch; n++) {
        const rows = Array.from({ length: time }, (_, t) => x.data.slice((n * time + t) * d, (n * time + t + 1) * d));
        const [q, k, v] = (['q', 'k', 'v'] as const).map((c) =>
          rows.map((row) => project(p[`W${c}`], p[`b${c}`], row)),
        );
        for (let i = 0; i < time; i++) {
          const scores = k.map((kj) => kj.reduce((s, value, c) => s + value * q[i][c], 0) / Math.sqrt(d));
          const top = Math.max(...scores);
          const e = scores.map((s) => Math.exp(s - top));
          const total = e.reduce((a, b) => a + b, 0);
          const head = Array.from({ length: d }, (_, c) => e.reduce((s, ej, j) => s + (ej / total) * v[j][c], 0));
          want.push(...project(p.Wo, p.bo, head));
        }
      }
      expectClose(
        y,
        { shape: x.shape, data: want },
        1e-9,
        `${WHERE}.forward with heads = 1: one attention over all dModel features, scaled by √dModel`,
      );
    },
    hiddenRerun: true,
  }),
  property({
    title: 'accumulates: two backward calls give twice every parameter gradient, and ∂L/∂bk is 0',
    run: (rng) => {
      const layer = new MultiHeadSelfAttention({ dModel: 4, heads: 2, rng: rng.fork() });
      const x = rng.normalTensor([2, 3, 4]);
      const g = rng.normalTensor([2, 3, 4]);
      layer.forward(x);
      layer.backward(g);
      const once = gradientData(layer.parameters(), `${WHERE}.backward`);
      layer.backward(g);
      return { once, twice: gradientData(layer.parameters(), `${WHERE}.backward`) };
    },
    verify: ({ once, twice }) => {
      for (const name of MHSA_PARAMETERS) {
        if (!once[name])
          fail(`${WHERE}.parameters() has no parameter named '${name}'; expected ${MHSA_PARAMETERS.join(', ')}`);
        expectClose(
          twice[name],
          { shape: once[name].shape, data: once[name].data.map((v) => 2 * v) },
          1e-12,
          `${name}.grad after two backward calls (accumulate with ${name}.accumulate, do not assign)`,
        );
      }
      const largest = Math.max(...once.bk.data.map(Math.abs));
      if (!(largest < 1e-10))
        fail(
          `bk.grad holds ${largest}; it must be 0: adding bk to every key adds q·bk to every score of a row, which the softmax ignores, so Σ over the tokens of ∂L/∂K is 0. Check ∂L/∂K.`,
        );
    },
  }),
  property({
    title:
      'weights: after a forward on random sizes (2 or 3 heads, 2 or 3 sequences), [batch, heads, T, T] holds each head’s softmax(Q_h·K_hᵀ/√dk) of the definition (zero above the diagonal with the mask)',
    run: (rng) => {
      // At least 2 heads and 2 sequences, so that a getter that mixes up the batch and head axes shows.
      const causal = rng.uniform() < 0.5;
      const heads = intIn(rng, 2, 3);
      const dModel = heads * intIn(rng, 1, 3);
      const [batch, time] = [intIn(rng, 2, 3), intIn(rng, 2, 5)];
      const values = Object.fromEntries(
        MHSA_PARAMETERS.map((name) => [
          name,
          rng.normalTensor(name.startsWith('W') ? [dModel, dModel] : [dModel], 0, 0.6),
        ]),
      );
      const layer = layerWith({ dModel, heads, causal }, values);
      const x = rng.normalTensor([batch, time, dModel]);
      layer.forward(x);
      const parameters = Object.fromEntries(
        MHSA_PARAMETERS.map((name) => [name, tensorData(values[name], name)]),
      ) as MhsaParameters;
      return {
        heads,
        causal,
        x: tensorData(x, 'x'),
        parameters,
        weights: tensorData(layer.weights, `${WHERE}.weights`),
      };
    },
    verify: ({ heads, causal, x, parameters, weights }) => {
      const want = mhsaDefinition(x, parameters, heads, causal).weights;
      const setting = `(dModel ${x.shape[2]}, ${heads} head${heads > 1 ? 's' : ''}${causal ? ', causal' : ''})`;
      expectClose(
        weights,
        want,
        1e-9,
        `${WHERE}.weights ${setting}: entry [b, h, i, j] is how much token i of sequence b attends to token j in head h. The given getter reads each head's ScaledDotProductAttention.weights, so it holds the heads of the last forward only when that forward runs through #attention`,
      );
    },
    hiddenRerun: true,
  }),
  ...[
    { batch: 2, time: 3, dModel: 4, heads: 2, causal: false, seed: 71 },
    { batch: 2, time: 4, dModel: 6, heads: 3, causal: true, seed: 72 },
    { batch: 1, time: 5, dModel: 3, heads: 1, causal: false, seed: 73 },
  ].map(({ batch, time, dModel, heads, causal, seed }) =>
    gradient({
      title: `input and Wq, Wk, Wv, Wo, bq, bk, bv, bo match centred differences (batch ${batch}, T ${time}, dModel ${dModel}, ${heads} head${heads > 1 ? 's' : ''}${causal ? ', causal' : ''})`,
      run: () => {
        const rng = new Rng(seed);
        // tiny 1e-4: ∂L/∂bk is exactly 0, and its centred difference is rounding noise of about 1e-11.
        return layerGradients(
          new MultiHeadSelfAttention({ dModel, heads, causal, rng }),
          rng.normalTensor([batch, time, dModel]),
          { tiny: 1e-4 },
        );
      },
      verify: (report) => {
        const names = report.parameters.map((p) => p.name);
        expect(names, `${WHERE}.parameters() in the order of the handout`).toEqual([...MHSA_PARAMETERS]);
        expectGradientsMatch(report, 1e-5);
      },
    }),
  ),
  // Q = K = V = x = I, scores I/√2, A = [[σ(1/√2), 1 − σ(1/√2)], …] with σ(1/√2) = 0.6697615…, y = A·V·Wo = A.
  identityExample({
    title:
      'the 2×2 example through identity projections (dModel 2, one head, W = I, b = 0, x = I): y = A = [[0.66976, 0.33024], [0.33024, 0.66976]]',
    heads: 1,
    x0: [1, 0],
    x1: [0, 1],
    y0: [0.6697615493266569, 0.3302384506733431],
    y1: [0.3302384506733431, 0.6697615493266569],
    rule: 'with identity projections: y = softmax(x·xᵀ/√2)·x',
  }),
  // Head 0 (columns 0, 1) sees q₀ = k₀ = (2, 0): score 4/√2 = 2√2 against 0, so A₀₀ = σ(2√2) = 0.9441928 and y₀₀ = 2·A₀₀.
  // Scaling by √dModel = 2 would give 2σ(2) = 1.76159. Head 1 (columns 2, 3) sees zeros. Token 1 (all 0) attends evenly: y₁ = (1, 0, 0, 0).
  identityExample({
    title:
      'each head scales by √dk, not √dModel: dModel 4, 2 heads, identity projections, x = [[2, 0, 0, 0], 0] gives y₀₀ = 2σ(2√2) = 1.88839',
    heads: 2,
    x0: [2, 0, 0, 0],
    y0: [1.8883855615856606, 0, 0, 0],
    y1: [1, 0, 0, 0],
    rule: 'with identity projections, 2 heads of dk = 2',
    mistake: {
      y00: 2 * 0.8807970779778823,
      message: 'the scores were divided by √dModel = 2 (y₀₀ = 2σ(2)); each head divides by √dk = √(dModel/heads) = √2',
    },
  }),
  // Head 0 = columns 0, 1: q₀ = k₀ = (1, 1), score 2/√2 = √2 → A₀₀ = σ(√2) = 0.8044297. Interleaved heads (columns 0, 2 and 1, 3)
  // would see (1, 0) twice: score 1/√2 → y₀ = (0.66976, 0.66976, 0, 0). Token 1 (zeros) attends evenly: y₁ = (0.5, 0.5, 0, 0).
  identityExample({
    title:
      'heads own contiguous columns: dModel 4, 2 heads, identity projections, x = [[1, 1, 0, 0], 0] gives y₀ = (σ(√2), σ(√2), 0, 0) = (0.80443, 0.80443, 0, 0)',
    heads: 2,
    x0: [1, 1, 0, 0],
    y0: [0.8044296825069569, 0.8044296825069569, 0, 0],
    y1: [0.5, 0.5, 0, 0],
    rule: 'with identity projections, heads on columns 0–1 and 2–3',
    mistake: {
      y00: 0.6697615493266569,
      message:
        'the heads were split interleaved (y₀₀ = σ(1/√2)); head h takes the contiguous columns h·dk … (h+1)·dk − 1',
    },
  }),
  knownValue({
    title: 'one token, dModel 1 (the attention weight is 1): y = (x·Wv + bv)·Wo + bo = 76 and every gradient by hand',
    // x = 2, Wq = 3, Wk = −1, Wv = 5, Wo = 7, bv = 1, bo = −1, bq = bk = 0.5, G = 1: y = (2·5 + 1)·7 − 1 = 76;
    // ∇Wo = 11, ∇bo = 1, ∇Wv = x·Wo = 14, ∇bv = 7, ∇Wq = ∇Wk = ∇bq = ∇bk = 0 (one key: the weight is 1 whatever the score), ∂L/∂x = Wv·Wo = 35.
    run: () => {
      const scalar = (v: number, shape: number[]): Tensor => new Tensor(shape, Float64Array.of(v));
      const layer = layerWith(
        { dModel: 1, heads: 1 },
        {
          Wq: scalar(3, [1, 1]),
          Wk: scalar(-1, [1, 1]),
          Wv: scalar(5, [1, 1]),
          Wo: scalar(7, [1, 1]),
          bq: scalar(0.5, [1]),
          bk: scalar(0.5, [1]),
          bv: scalar(1, [1]),
          bo: scalar(-1, [1]),
        },
      );
      const y = tensorData(layer.forward(scalar(2, [1, 1, 1])), `${WHERE}.forward`);
      const dx = tensorData(layer.backward(scalar(1, [1, 1, 1])), `${WHERE}.backward`);
      return { y, dx, grads: gradientData(layer.parameters(), `${WHERE}.backward`) };
    },
    verify: ({ y, dx, grads }) => {
      expectClose(y, [[[76]]], 1e-12, `${WHERE}.forward of one token: y = (x·Wv + bv)·Wo + bo`);
      const want: Record<string, number> = { Wq: 0, Wk: 0, Wv: 14, Wo: 11, bq: 0, bk: 0, bv: 7, bo: 1 };
      for (const [name, value] of Object.entries(want)) {
        if (!grads[name]) fail(`${WHERE}.parameters() has no parameter named '${name}'`);
        expectClose(grads[name].data[0], value, 1e-12, `${WHERE} ${name}.grad for one token (${GRADIENT_HINTS[name]})`);
      }
      expectClose(
        dx,
        [[[35]]],
        1e-12,
        `${WHERE}.backward of one token: ∂L/∂x = G·Woᵀ·Wvᵀ (plus the Q and K paths, which are 0 here)`,
      );
    },
  }),
  badInput({
    title: 'names the expected width, and refuses a number of heads that does not divide dModel',
    run: () => {
      const layer = new MultiHeadSelfAttention({ dModel: 4, heads: 2, rng: new Rng(0) });
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const shape = tensorData(layer.forward(new Tensor([2, 3, 4], new Float64Array(24))), `${WHERE}.forward`).shape;
      return {
        shape,
        width: thrown(() => layer.forward(new Tensor([2, 3, 5], new Float64Array(30)))),
        rank: thrown(() => layer.forward(new Tensor([3, 4], new Float64Array(12)))),
        heads: thrown(() => new MultiHeadSelfAttention({ dModel: 6, heads: 4 })),
      };
    },
    verify: ({ shape, width, rank, heads }) => {
      expect(shape, `${WHERE}.forward of a [2, 3, 4] batch`).toEqual([2, 3, 4]);
      expectError(width, ShapeError.name, 'forward of a [2, 3, 5] input to a dModel 4 layer', [
        '[batch, time, 4]',
        '[2, 3, 5]',
      ]);
      expectError(rank, ShapeError.name, 'forward of a [3, 4] matrix instead of a sequence batch');
      expectError(heads, ValueError.name, 'new MultiHeadSelfAttention({ dModel: 6, heads: 4 })', ['heads']);
    },
  }),
  badInput({
    title: 'rejects backward before forward, NaN input, and a gradient of the wrong shape',
    run: () => {
      const layer = new MultiHeadSelfAttention({ dModel: 2, heads: 1, rng: new Rng(0) });
      const early = thrown(() => layer.backward(new Tensor([1, 2, 2], new Float64Array(4))));
      const nan = thrown(() => layer.forward(new Tensor([1, 2, 2], Float64Array.of(0, 1, NaN, 0))));
      layer.forward(new Tensor([1, 2, 2], Float64Array.of(0, 1, 1, 0)));
      return { early, nan, wrongShape: thrown(() => layer.backward(new Tensor([1, 3, 2], new Float64Array(6)))) };
    },
    verify: ({ early, nan, wrongShape }) => {
      expectError(early, StateError.name, 'backward before any forward');
      expectError(nan, NonFiniteError.name, 'forward of an input holding NaN');
      expectError(wrongShape, ShapeError.name, 'backward of a [1, 3, 2] gradient for a [1, 2, 2] output');
    },
  }),
  training({
    title: `self-attention finds the marked token: after ${MARKED.iterations} Adam steps every position predicts its class on held-out sequences (accuracy ≥ 0.95; untrained about 0.26)`,
    // Only the layer is yours: the embedding and read-out (dense doubles), the loss and Adam are test-local doubles.
    run: (rng) => {
      const { length, classes, dModel, heads, batch, iterations, lr, test } = MARKED;
      const init = rng.fork();
      const layers = [
        new TokenDense(classes + 1, dModel, init),
        new MultiHeadSelfAttention({ dModel, heads, rng: init }),
        new TokenDense(dModel, classes, init),
      ];
      const held = markedTokenBatch(rng.fork(), test, length, classes);
      const scores = () => {
        const logits = forwardThrough(layers, held.x);
        return tensorData(
          new Tensor([test * length, classes], logits.data),
          'the read-out after MultiHeadSelfAttention.forward',
        );
      };
      const before = scores();
      const data = rng.fork();
      const losses = trainTokenClassifier(layers, () => markedTokenBatch(data, batch, length, classes), {
        iterations,
        lr,
      });
      return { before, after: scores(), labels: held.labels, losses };
    },
    verify: ({ before, after, labels, losses }) => {
      const [untrained, trained] = [accuracyOf(before, labels), accuracyOf(after, labels)];
      const curve = `the loss went from ${losses[0].toFixed(4)} to ${losses.at(-1)!.toFixed(4)}`;
      if (!(trained >= 0.95))
        fail(
          `held-out accuracy is ${trained.toFixed(3)} (untrained ${untrained.toFixed(3)}), expected ≥ 0.95; ${curve}. With the other checks green, look at what backward returns and accumulates.`,
        );
    },
    matchReference: false,
  }),
]);
