import fc from 'fast-check';
import { expect } from 'vitest';
import { fromArray, NonFiniteError, Parameter, Rng, ShapeError, StateError, Tensor } from '../../framework/index.js';
import { ScaledDotProductAttention } from '#impl/layers/scaled-dot-product-attention.js';
import {
  accuracyOf,
  badInput,
  closeEnough,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  fail,
  gradient,
  intIn,
  knownValue,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { attentionDefinition, expectAttentionGradients, type Scaling } from '../helpers/attention-definition.js';
import { attentionGradients, markedTokenBatch, TokenDense } from '../helpers/attention-doubles.js';
import { AdamDouble } from '../helpers/cnn-doubles.js';

/**
 * Exercise 6, ScaledDotProductAttention: Y = softmax(Q·Kᵀ/√d + M)·V on [batch, T, d] (seed 004: 7785;
 * the scaled score 7684–7686), with the causal mask M_ij = −∞ for j > i (004: 7810). forward(q, k, v)
 * returns Y; backward(G) returns { query, key, value }; `weights` is A of the last forward.
 * Handout: docs/exercises/6-modern.md#scaleddotproductattention
 */

const WHERE = 'ScaledDotProductAttention';

/** One forward and backward of the student's attention on random inputs drawn from `rng`. */
function randomPass(rng: Rng, causal: boolean) {
  const batch = intIn(rng, 1, 3);
  // At least two keys (a single key gets weight 1 whatever the scores), at least two queries with the mask.
  const tq = intIn(rng, causal ? 2 : 1, 5);
  const tk = causal ? tq : intIn(rng, 2, 5);
  const d = intIn(rng, 2, 5);
  const dv = intIn(rng, 1, 4);
  const [q, k, v] = [
    rng.normalTensor([batch, tq, d]),
    rng.normalTensor([batch, tk, d]),
    rng.normalTensor([batch, tk, dv]),
  ];
  const g = rng.normalTensor([batch, tq, dv]);
  const attention = new ScaledDotProductAttention({ causal });
  const y = tensorData(attention.forward(q, k, v), `${WHERE}.forward`);
  const weights = tensorData(attention.weights, `${WHERE}.weights`);
  const grads = attention.backward(g);
  return {
    causal,
    q: tensorData(q, 'q'),
    k: tensorData(k, 'k'),
    v: tensorData(v, 'v'),
    g: tensorData(g, 'G'),
    y,
    weights,
    ...gradientsOf(grads),
  };
}

/** Which scaling the data fits, to name the mistake: 'sqrt' (right), 'd' or 'none'. */
function scalingOf(
  q: TensorData,
  k: TensorData,
  v: TensorData,
  causal: boolean,
  weights: TensorData,
): Scaling | undefined {
  return (['sqrt', 'd', 'none'] as const).find((scaling) => {
    const want = attentionDefinition(q, k, v, { causal, scaling }).weights;
    return want.data.every((value, i) => closeEnough(weights.data[i], value, 1e-9));
  });
}

function verifyPass(pass: ReturnType<typeof randomPass>): void {
  const { q, k, v, g, causal } = pass;
  const want = attentionDefinition(q, k, v, { causal }, g);
  const scaling = scalingOf(q, k, v, causal, pass.weights);
  if (scaling === 'd')
    fail(
      `${WHERE}.forward divides the scores by d = ${q.shape[2]}; the seed's formula divides by √d (004: 7785): S = Q·Kᵀ/√d`,
    );
  if (scaling === 'none')
    fail(`${WHERE}.forward does not scale the scores; divide Q·Kᵀ by √d (004: 7785, d = ${q.shape[2]})`);
  const mask = causal ? ', with −∞ for the keys j > i before the softmax' : '';
  expectClose(
    pass.weights,
    want.weights,
    1e-9,
    `${WHERE}.weights: A = softmax over the keys (last axis) of Q·Kᵀ/√d${mask}`,
  );
  expectClose(pass.y, want.y, 1e-9, `${WHERE}.forward: Y = A·V`);
  expectClose(pass.dv, want.dv!, 1e-9, `${WHERE}.backward(G).value: ∂L/∂V = Aᵀ·G`);
  expectClose(
    pass.dq,
    want.dq!,
    1e-9,
    `${WHERE}.backward(G).query: ∂L/∂Q = (∂L/∂S)·K/√d, ∂L/∂S_ij = A_ij·(∂L/∂A_ij − Σ_l A_il·∂L/∂A_il), ∂L/∂A = G·Vᵀ`,
  );
  expectClose(pass.dk, want.dk!, 1e-9, `${WHERE}.backward(G).key: ∂L/∂K = (∂L/∂S)ᵀ·Q/√d`);
}

/** Rows of `weights` [batch, Tq, Tk]: the first one that is negative or does not sum to 1, or null. */
function badRow(weights: TensorData): string | null {
  const tk = weights.shape[2];
  for (let row = 0; row < weights.data.length / tk; row++) {
    const values = weights.data.slice(row * tk, (row + 1) * tk);
    const total = values.reduce((a, b) => a + b, 0);
    if (values.some((w) => !(w >= 0)) || !closeEnough(total, 1, 1e-12))
      return `row ${row} is [${values.map((w) => w.toPrecision(4)).join(', ')}] (sum ${total})`;
  }
  return null;
}

/** backward(G)'s three gradients as data. */
function gradientsOf(grads: { query: Tensor; key: Tensor; value: Tensor } | undefined) {
  return {
    dq: tensorData(grads?.query, `${WHERE}.backward(G).query`),
    dk: tensorData(grads?.key, `${WHERE}.backward(G).key`),
    dv: tensorData(grads?.value, `${WHERE}.backward(G).value`),
  };
}

/** σ(1/√2): the weight a query puts on its own key in the 2×2 example (scores 1/√2 and 0). */
const SELF = 0.6697615493266569;

/** The 2×2 example: Q = K = I, V = [[1, 2], [3, 4]], d = 2, so the scores Q·Kᵀ/√2 are I/√2. */
function forwardExample(attention: ScaledDotProductAttention): Tensor {
  const identity = (): Tensor =>
    fromArray([
      [
        [1, 0],
        [0, 1],
      ],
    ]);
  return attention.forward(
    identity(),
    identity(),
    fromArray([
      [
        [1, 2],
        [3, 4],
      ],
    ]),
  );
}

/** What differs between the two modes of the checks below: the mask, the titles, the gradient case and the example. */
interface Mode {
  readonly causal: boolean;
  /** The mode in failure messages. */
  readonly name: string;
  readonly randomTitle: string;
  /** Centred differences on q [batch, tq, d], k [batch, tk, d], v [batch, tk, dv], G [batch, tq, dv], drawn in that order from Rng(seed). */
  readonly gradient: {
    readonly title: string;
    readonly seed: number;
    readonly sizes: { batch: number; tq: number; tk: number; d: number; dv: number };
  };
  /** The 2×2 example's weights A and output Y in this mode (row-major, [1, 2, 2]), with the rule each message names. */
  readonly example: {
    readonly title: string;
    readonly weights: number[];
    readonly weightsRule: string;
    readonly y: number[];
    readonly yRule: string;
  };
}

/** The checks each mode (no mask, causal) gets alike: random shapes against the definition, centred differences, the 2×2 example. */
function modeChecks(mode: Mode) {
  const attention = () => new ScaledDotProductAttention({ causal: mode.causal });
  return [
    property({
      title: mode.randomTitle,
      run: (rng) => randomPass(rng, mode.causal),
      verify: verifyPass,
      hiddenRerun: true,
    }),
    gradient({
      title: mode.gradient.title,
      run: () => {
        const rng = new Rng(mode.gradient.seed);
        const { batch, tq, tk, d, dv } = mode.gradient.sizes;
        const [q, k, v, g] = [
          [batch, tq, d],
          [batch, tk, d],
          [batch, tk, dv],
          [batch, tq, dv],
        ].map((shape) => rng.normalTensor(shape));
        return attentionGradients(attention(), q, k, v, g);
      },
      verify: (report) => expectAttentionGradients(report, 1e-5, mode.name),
    }),
    knownValue({
      title: mode.example.title,
      run: () => {
        const layer = attention();
        const y = tensorData(forwardExample(layer), `${WHERE}.forward`);
        return { y, weights: tensorData(layer.weights, `${WHERE}.weights`) };
      },
      verify: ({ y, weights }) => {
        const example = (data: number[]): TensorData => ({ shape: [1, 2, 2], data });
        expectClose(weights, example(mode.example.weights), 1e-12, `${WHERE}.weights${mode.example.weightsRule}`);
        expectClose(y, example(mode.example.y), 1e-12, `${WHERE}.forward${mode.example.yRule}`);
      },
    }),
  ];
}

const NO_MASK: Mode = {
  causal: false,
  name: 'no mask',
  randomTitle:
    'forward, weights and backward on random shapes agree with the definition (no mask; Tq, Tk, d and dv drawn independently)',
  gradient: {
    title: 'Q, K and V match centred differences (batch 2, Tq 3, Tk 4, d 3, dv 2)',
    seed: 61,
    sizes: { batch: 2, tq: 3, tk: 4, d: 3, dv: 2 },
  },
  // Scores Q·Kᵀ/√2 = [[1/√2, 0], [0, 1/√2]]; softmax of (1/√2, 0) is (σ(1/√2), 1 − σ(1/√2)) with σ(1/√2) = 0.6697615…
  example: {
    title:
      'the 2×2 example: Q = K = I, V = [[1, 2], [3, 4]], d = 2 gives A = [[σ(1/√2), 1 − σ(1/√2)], …] = [[0.66976, 0.33024], [0.33024, 0.66976]]',
    weights: [SELF, 1 - SELF, 1 - SELF, SELF],
    weightsRule: ': softmax over the keys of Q·Kᵀ/√2',
    y: [1.6604769013466862, 2.6604769013466862, 2.3395230986533138, 3.3395230986533138],
    yRule: ': Y = A·V, e.g. row 0 = 0.66976·(1, 2) + 0.33024·(3, 4)',
  },
};

const CAUSAL: Mode = {
  causal: true,
  name: 'causal',
  randomTitle: 'causal: forward, weights and backward on random shapes agree with the definition',
  gradient: {
    title: 'causal: Q, K and V match centred differences (batch 2, T 4, d 3, dv 3)',
    seed: 62,
    sizes: { batch: 2, tq: 4, tk: 4, d: 3, dv: 3 },
  },
  example: {
    title: 'causal 2×2 example: the first query sees only the first key, A = [[1, 0], [0.33024, 0.66976]]',
    weights: [1, 0, 1 - SELF, SELF],
    weightsRule: ' with the causal mask (key j hidden from query i when j > i)',
    y: [1, 2, 2.3395230986533138, 3.3395230986533138],
    yRule: ' with the causal mask: row 0 is V_0 exactly',
  },
};

export default componentChecks('ex6', 'ScaledDotProductAttention', [
  ...modeChecks(NO_MASK),
  ...modeChecks(CAUSAL),
  property({
    title:
      'every row of the weights is non-negative and sums to 1, also for scores in the thousands (max-shifted softmax)',
    run: (rng) =>
      drawSamples(
        fc.record({
          tq: fc.integer({ min: 1, max: 4 }),
          tk: fc.integer({ min: 1, max: 4 }),
          d: fc.integer({ min: 1, max: 4 }),
          spread: fc.constantFrom(1, 30),
          causal: fc.boolean(),
          seed: fc.integer(),
        }),
        rng,
        30,
      ).map(({ tq, tk, d, spread, causal, seed }) => {
        const draw = new Rng(seed);
        const keys = causal ? tq : tk;
        const attention = new ScaledDotProductAttention({ causal });
        const y = tensorData(
          attention.forward(
            draw.normalTensor([2, tq, d], 0, spread),
            draw.normalTensor([2, keys, d], 0, spread),
            draw.normalTensor([2, keys, 2]),
          ),
          `${WHERE}.forward`,
        );
        return { causal, spread, y, weights: tensorData(attention.weights, `${WHERE}.weights`) };
      }),
    verify: (samples) =>
      samples.forEach(({ causal, spread, y, weights }, i) => {
        if (y.data.some((value) => !Number.isFinite(value)))
          fail(
            `sample ${i} (σ ${spread}): ${WHERE}.forward returned ${y.data.find((value) => !Number.isFinite(value))}; subtract each row's largest score before exp (max-shifted softmax)`,
          );
        const bad = badRow(weights);
        if (bad)
          fail(
            `sample ${i} (causal ${causal}, scores of size ~${spread * spread}): ${WHERE}.weights ${bad}; each query's weights over the keys (the last axis) must be ≥ 0 and sum to 1. Softmax over the keys, and mask before the softmax, not after.`,
          );
      }),
    hiddenRerun: true,
    matchReference: false,
  }),
  property({
    title:
      'permutation equivariance without a mask: permuting the queries permutes the output rows; permuting keys and values together changes nothing',
    run: (rng) => {
      const [tq, tk, d] = [4, 5, 3];
      const q = rng.normalTensor([1, tq, d]);
      const k = rng.normalTensor([1, tk, d]);
      const v = rng.normalTensor([1, tk, 2]);
      const permuteRows = (x: Tensor, order: readonly number[]): Tensor => {
        const width = x.shape[2];
        const out = new Float64Array(x.size);
        order.forEach((from, to) => {
          out.set(x.data.subarray(from * width, (from + 1) * width), to * width);
        });
        return new Tensor(x.shape, out);
      };
      const queryOrder = rng.permutation(tq);
      const keyOrder = rng.permutation(tk);
      const attention = new ScaledDotProductAttention();
      const base = tensorData(attention.forward(q, k, v), `${WHERE}.forward`);
      const queriesPermuted = tensorData(attention.forward(permuteRows(q, queryOrder), k, v), `${WHERE}.forward`);
      const keysPermuted = tensorData(
        attention.forward(q, permuteRows(k, keyOrder), permuteRows(v, keyOrder)),
        `${WHERE}.forward`,
      );
      return { base, queriesPermuted, keysPermuted, queryOrder };
    },
    verify: ({ base, queriesPermuted, keysPermuted, queryOrder }) => {
      const width = base.shape[2];
      const expected = {
        shape: base.shape,
        data: queryOrder.flatMap((from) => base.data.slice(from * width, (from + 1) * width)),
      };
      expectClose(
        queriesPermuted,
        expected,
        1e-12,
        `${WHERE}.forward with the queries in the order [${queryOrder.join(', ')}]: output row i must be the output for query i, wherever it stands`,
      );
      expectClose(
        keysPermuted,
        base,
        1e-12,
        `${WHERE}.forward with keys and values reordered together: attention is a weighted sum over the keys and must not depend on their order`,
      );
    },
    hiddenRerun: true,
  }),
  property({
    title:
      'causal: masked keys get exactly 0 weight and exactly 0 gradient, and later tokens never change earlier outputs, even with scores of ±1e10',
    run: (rng) => {
      const [time, d] = [5, 2];
      // Scores of ±1e10: a mask made of a large negative constant (−1e9, −1e4, added or assigned) leaks here; −∞ never does.
      // Key 0 scores about −4e10 against every query, so the first row's only visible score lies far below −1e9.
      const q = rng.normalTensor([1, time, d], 0, 1e5);
      const k = rng.normalTensor([1, time, d], 0, 1e5);
      for (let i = 0; i < time; i++) q.data[i * d] = 2e5 + Math.abs(q.data[i * d]);
      k.data[0] = -2e5;
      k.data[1] = 0;
      const v = rng.normalTensor([1, time, 3]);
      const attention = new ScaledDotProductAttention({ causal: true });
      const y = tensorData(attention.forward(q, k, v), `${WHERE}.forward`);
      const weights = tensorData(attention.weights, `${WHERE}.weights`);
      // Upstream gradient only on query 1: keys and values 2…4 must get exactly 0.
      const g = new Tensor(
        [1, time, 3],
        new Float64Array(time * 3).map((_, i) => (Math.floor(i / 3) === 1 ? 1 + (i % 3) : 0)),
      );
      const grads = attention.backward(g);
      // Changing the tokens after position 2 must leave outputs 0…2 exactly as they were.
      const later = (x: Tensor): Tensor =>
        new Tensor(
          x.shape,
          x.data.map((value, i) => (Math.floor(i / x.shape[2]) > 2 ? value + 7 : value)),
        );
      const changed = tensorData(
        new ScaledDotProductAttention({ causal: true }).forward(later(q), later(k), later(v)),
        `${WHERE}.forward`,
      );
      return {
        y,
        weights,
        dk: tensorData(grads?.key, `${WHERE}.backward(G).key`),
        dv: tensorData(grads?.value, `${WHERE}.backward(G).value`),
        changed,
      };
    },
    verify: ({ y, weights, dk, dv, changed }) => {
      const time = weights.shape[1];
      for (let i = 0; i < time; i++) {
        for (let j = i + 1; j < time; j++) {
          const w = weights.data[i * time + j];
          if (w !== 0)
            fail(
              `${WHERE}.weights[0, ${i}, ${j}] is ${w}; a masked key (j > i) must get exactly 0. Set its score to −∞ (not a large negative number) before the max-shifted softmax.`,
            );
        }
      }
      const bad = badRow(weights);
      if (bad)
        fail(`${WHERE}.weights ${bad}; the visible keys' weights must sum to 1 (mask before the softmax, not after)`);
      for (let j = 2; j < time; j++) {
        for (const [name, grad] of [
          ['key', dk],
          ['value', dv],
        ] as const) {
          const width = grad.shape[2];
          const values = grad.data.slice(j * width, (j + 1) * width);
          if (values.some((value) => value !== 0))
            fail(
              `${WHERE}.backward(G).${name}[0, ${j}] is [${values.join(', ')}] for an upstream gradient on query 1 only; key ${j} is masked for query 1, so its gradient must be exactly 0`,
            );
        }
      }
      const width = y.shape[2];
      expectClose(
        { shape: [3, width], data: changed.data.slice(0, 3 * width) },
        { shape: [3, width], data: y.data.slice(0, 3 * width) },
        0,
        `${WHERE}.forward outputs 0…2 after changing tokens 3 and 4: with the causal mask a token must not see later tokens`,
      );
    },
    hiddenRerun: true,
  }),
  property({
    title: 'weights belong to the last forward, and backward uses the inputs of the last forward',
    run: (rng) => {
      const attention = new ScaledDotProductAttention();
      const first = [rng.normalTensor([1, 2, 3]), rng.normalTensor([1, 4, 3]), rng.normalTensor([1, 4, 2])] as const;
      const second = [rng.normalTensor([2, 3, 3]), rng.normalTensor([2, 3, 3]), rng.normalTensor([2, 3, 1])] as const;
      attention.forward(...first);
      attention.forward(...second);
      const g = rng.normalTensor([2, 3, 1]);
      const grads = attention.backward(g);
      return {
        inputs: second.map((t) => tensorData(t, 'input')),
        g: tensorData(g, 'G'),
        weights: tensorData(attention.weights, `${WHERE}.weights`),
        dq: tensorData(grads?.query, `${WHERE}.backward(G).query`),
      };
    },
    verify: ({ inputs: [q, k, v], g, weights, dq }) => {
      const want = attentionDefinition(q, k, v, { causal: false }, g);
      expectClose(weights, want.weights, 1e-9, `${WHERE}.weights after two forwards: the weights of the second`);
      expectClose(
        dq,
        want.dq!,
        1e-9,
        `${WHERE}.backward(G).query after two forwards: backward must use what the last forward cached`,
      );
    },
  }),
  gradient({
    title: 'one query over six keys with d = 8 and peaked weights: Q, K and V match centred differences',
    run: () => {
      const rng = new Rng(63);
      return attentionGradients(
        new ScaledDotProductAttention(),
        rng.normalTensor([1, 1, 8], 0, 1.5),
        rng.normalTensor([1, 6, 8], 0, 1.5),
        rng.normalTensor([1, 6, 4]),
        rng.normalTensor([1, 1, 4]),
      );
    },
    verify: (report) => expectAttentionGradients(report, 1e-5, 'one query, six keys'),
  }),
  knownValue({
    title:
      'backward of the 2×2 example with G = [[1, 0], [0, 0]]: ∂L/∂V = Aᵀ·G, ∂L/∂Q_0 = c·(−1, 1), ∂L/∂K = c·[[−1, 0], [1, 0]], c = 2a(1 − a)/√2 = 0.31280',
    // ∂L/∂A_0 = G_0·Vᵀ = (1, 3); Σ A_0j ∂L/∂A_0j = 3 − 2a; ∂L/∂S_0 = (a(−2 + 2a), (1 − a)·2a) = 2a(1 − a)·(−1, 1), a = σ(1/√2).
    run: () => {
      const attention = new ScaledDotProductAttention();
      forwardExample(attention);
      const grads = attention.backward(
        fromArray([
          [
            [1, 0],
            [0, 0],
          ],
        ]),
      );
      return gradientsOf(grads);
    },
    verify: ({ dq, dk, dv }) => {
      const c = 0.3127971930902208;
      expectClose(
        dv,
        [
          [
            [SELF, 0],
            [1 - SELF, 0],
          ],
        ],
        1e-12,
        `${WHERE}.backward(G).value: ∂L/∂V = Aᵀ·G`,
      );
      expectClose(
        dq,
        [
          [
            [-c, c],
            [0, 0],
          ],
        ],
        1e-12,
        `${WHERE}.backward(G).query: ∂L/∂Q = (∂L/∂S)·K/√d (through the softmax Jacobian)`,
      );
      expectClose(
        dk,
        [
          [
            [-c, 0],
            [c, 0],
          ],
        ],
        1e-12,
        `${WHERE}.backward(G).key: ∂L/∂K = (∂L/∂S)ᵀ·Q/√d`,
      );
    },
  }),
  knownValue({
    title:
      'scales by √d: d = 4, q = k₀ = (1, 1, 1, 1), k₁ = 0 give scores (2, 0) and A = (0.88080, 0.11920), not (0.73106, …) (÷d) or (0.98201, …) (unscaled)',
    // q·k₀ = 4: 4/√4 = 2 → σ(2) = 0.8807970…; 4/4 = 1 → σ(1) = 0.7310585…; unscaled 4 → σ(4) = 0.9820137…
    run: () => {
      const attention = new ScaledDotProductAttention();
      const y = tensorData(
        attention.forward(
          fromArray([[[1, 1, 1, 1]]]),
          fromArray([
            [
              [1, 1, 1, 1],
              [0, 0, 0, 0],
            ],
          ]),
          fromArray([[[1], [0]]]),
        ),
        `${WHERE}.forward`,
      );
      return { y, weights: tensorData(attention.weights, `${WHERE}.weights`) };
    },
    verify: ({ y, weights }) => {
      const w = weights.data[0];
      if (closeEnough(w, 0.7310585786300049, 1e-9))
        fail(
          `${WHERE}.weights[0, 0, 0] is σ(1) = ${w}: the scores were divided by d = 4; divide by √d = 2 (004: 7785)`,
        );
      if (closeEnough(w, 0.9820137900379085, 1e-9))
        fail(`${WHERE}.weights[0, 0, 0] is σ(4) = ${w}: the scores were not scaled; divide Q·Kᵀ by √d = 2 (004: 7785)`);
      expectClose(
        weights,
        [[[0.8807970779778823, 0.11920292202211769]]],
        1e-12,
        `${WHERE}.weights: softmax of (4/√4, 0)`,
      );
      expectClose(y, [[[0.8807970779778823]]], 1e-12, `${WHERE}.forward: Y = A·V with V = (1, 0)`);
    },
  }),
  badInput({
    title:
      'names the shape that does not fit: query and key of different widths, key and value of different lengths, different batch sizes',
    run: () => {
      const attention = new ScaledDotProductAttention();
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const shape = tensorData(
        attention.forward(
          new Tensor([2, 3, 4], new Float64Array(24)),
          new Tensor([2, 5, 4], new Float64Array(40)),
          new Tensor([2, 5, 6], new Float64Array(60)),
        ),
        `${WHERE}.forward`,
      ).shape;
      const z = (shape: number[]): Tensor => new Tensor(shape, new Float64Array(shape.reduce((a, b) => a * b, 1)));
      return {
        shape,
        width: thrown(() => attention.forward(z([2, 3, 4]), z([2, 5, 3]), z([2, 5, 6]))),
        length: thrown(() => attention.forward(z([2, 3, 4]), z([2, 5, 4]), z([2, 4, 6]))),
        batch: thrown(() => attention.forward(z([2, 3, 4]), z([1, 5, 4]), z([1, 5, 6]))),
        rank: thrown(() => attention.forward(z([3, 4]), z([5, 4]), z([5, 6]))),
      };
    },
    verify: ({ shape, width, length, batch, rank }) => {
      expect(shape, `${WHERE}.forward of Q [2, 3, 4], K [2, 5, 4], V [2, 5, 6] returns [batch, Tq, dv]`).toEqual([
        2, 3, 6,
      ]);
      expectError(width, ShapeError.name, 'forward with Q [2, 3, 4] and K [2, 5, 3]', ['key']);
      expectError(length, ShapeError.name, 'forward with K [2, 5, 4] and V [2, 4, 6]', ['value']);
      expectError(batch, ShapeError.name, 'forward with Q [2, 3, 4] and K [1, 5, 4]', ['key']);
      expectError(rank, ShapeError.name, 'forward with matrices instead of [batch, T, d] sequences', ['query']);
    },
  }),
  badInput({
    title:
      'a causal mask needs as many queries as keys; NaN is refused; backward and weights before any forward are StateErrors; a gradient of the wrong shape is a ShapeError',
    run: () => {
      const z = (shape: number[]): Tensor => new Tensor(shape, new Float64Array(shape.reduce((a, b) => a * b, 1)));
      const attention = new ScaledDotProductAttention({ causal: true });
      const early = thrown(() => attention.backward(z([1, 2, 2])));
      const earlyWeights = thrown(() => attention.weights);
      const shape = tensorData(attention.forward(z([1, 2, 2]), z([1, 2, 2]), z([1, 2, 2])), `${WHERE}.forward`).shape;
      const nan = new Tensor([1, 2, 2], Float64Array.from([0, 1, NaN, 0]));
      return {
        early,
        earlyWeights,
        shape,
        lengths: thrown(() => attention.forward(z([1, 2, 2]), z([1, 3, 2]), z([1, 3, 2]))),
        nan: thrown(() => attention.forward(z([1, 2, 2]), nan, z([1, 2, 2]))),
        wrongGradient: thrown(() => {
          attention.forward(z([1, 2, 2]), z([1, 2, 2]), z([1, 2, 2]));
          return attention.backward(z([1, 2, 3]));
        }),
      };
    },
    verify: ({ early, earlyWeights, shape, lengths, nan, wrongGradient }) => {
      expectError(early, StateError.name, 'backward before any forward');
      expectError(earlyWeights, StateError.name, 'weights before any forward');
      expect(shape, `${WHERE}.forward of three [1, 2, 2] inputs`).toEqual([1, 2, 2]);
      expectError(lengths, ShapeError.name, 'a causal forward with 2 queries and 3 keys', ['causal']);
      expectError(nan, NonFiniteError.name, 'forward with a key holding NaN');
      expectError(wrongGradient, ShapeError.name, 'backward of a [1, 2, 3] gradient for a [1, 2, 2] output');
    },
  }),
  training({
    title:
      'a learned query and key projection find the marked token: held-out accuracy ≥ 0.95 and ≥ 0.8 of the weight on it (untrained: about 0.45 and 1/6)',
    run: (rng) => trainMarkedTokenQuery(rng.nextUint32()),
    verify: ({ before, after, labels, attentionOnMarked, losses }) => {
      const [untrained, trained] = [accuracyOf(before, labels), accuracyOf(after, labels)];
      const curve = `the loss went from ${losses[0].toFixed(4)} to ${losses.at(-1)!.toFixed(4)}`;
      if (!(trained >= 0.95))
        fail(
          `held-out accuracy of the attention read-out is ${trained.toFixed(3)} (untrained ${untrained.toFixed(3)}), expected ≥ 0.95; ${curve}. The query and key gradients (backward(G).query and .key) drive this training: check them.`,
        );
      if (!(attentionOnMarked >= 0.8))
        fail(
          `the trained query puts on average ${attentionOnMarked.toFixed(3)} of its weight on the marked token, expected ≥ 0.8 (read from ${WHERE}.weights)`,
        );
    },
    matchReference: false,
  }),
]);

/** Length, classes, key size and schedule of the marked-token training (handout: docs/exercises/6-modern.md#scaleddotproductattention). */
const MARKED = { length: 6, classes: 4, keySize: 4, batch: 32, iterations: 40, lr: 0.1, test: 200 };

/**
 * One learned query q [1, 1, d] attends over keys K = x·Wk + bk (a dense double) with values V = x (each
 * token's one-hot class plus its marker bit), so Y is a mixture of the tokens' classes. Loss
 * −log Y[class of the marked token]; q and Wk learn through the student's backward (query and key).
 */
function trainMarkedTokenQuery(seed: number) {
  const rng = new Rng(seed);
  const { length, classes, keySize, batch, iterations, lr, test } = MARKED;
  const keys = new TokenDense(classes + 1, keySize, rng.fork());
  const query = new Parameter('query', rng.normalTensor([1, keySize], 0, 0.1));
  const parameters = [query, ...keys.parameters()];
  const optimizer = new AdamDouble(lr);
  const attention = new ScaledDotProductAttention();
  const readOut = (x: Tensor) => {
    const n = x.shape[0];
    const q = new Tensor(
      [n, 1, keySize],
      new Float64Array(n * keySize).map((_, i) => query.value.data[i % keySize]),
    );
    const y = attention.forward(q, keys.forward(x), x);
    return new Tensor(
      [n, classes],
      new Float64Array(n * classes).map((_, i) => y.data[Math.floor(i / classes) * (classes + 1) + (i % classes)]),
    );
  };
  const testSet = markedTokenBatch(new Rng(seed ^ 0x5eed), test, length, classes);
  const testLabels = testSet.labels.filter((_, i) => i % length === 0);
  const before = tensorData(readOut(testSet.x), `${WHERE}.forward`);
  const losses: number[] = [];
  for (let step = 0; step < iterations; step++) {
    const data = markedTokenBatch(rng, batch, length, classes);
    const labels = data.labels.filter((_, i) => i % length === 0);
    optimizer.zeroGrad(parameters);
    const p = readOut(data.x);
    let loss = 0;
    const gradY = new Float64Array(batch * (classes + 1));
    labels.forEach((label, n) => {
      const probability = p.data[n * classes + label] + 1e-12;
      loss -= Math.log(probability) / batch;
      gradY[n * (classes + 1) + label] = -1 / (probability * batch);
    });
    losses.push(loss);
    const grads = attention.backward(new Tensor([batch, 1, classes + 1], gradY));
    const gradQuery = new Float64Array(keySize);
    grads.query.data.forEach((g, i) => {
      gradQuery[i % keySize] += g;
    });
    query.accumulate(new Tensor([1, keySize], gradQuery));
    keys.backward(grads.key);
    optimizer.step(parameters);
  }
  const after = tensorData(readOut(testSet.x), `${WHERE}.forward`);
  const weights = attention.weights;
  let onMarked = 0;
  testSet.marked.forEach((at, n) => {
    onMarked += weights.data[n * length + at] / test;
  });
  return { before, after, labels: testLabels, attentionOnMarked: onMarked, losses };
}
