import fc from 'fast-check';
import { expect } from 'vitest';
import { Rng, runKernel, ShapeError, tensor, type Tensor } from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import { attentionScoresKernel } from '#impl/kernels/attention-scores.js';
import {
  badInput,
  closeEnough,
  componentChecks,
  drawSamples,
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
import { attentionScoresOf, isMasked, MASK_MARGIN, visibleRowMax } from '../helpers/attention-reference.js';
import {
  initialHead,
  previousTokenAccuracy,
  previousTokenTask,
  softmaxOnGpu,
  trainPreviousTokenHead,
  type HeadRun,
} from '../helpers/attention-training.js';
import type { PlainTensor } from '../helpers/cpu-reference.js';
import { softmaxOf } from '../helpers/cpu-reference.js';
import { expectGpuResult, expectPaddedResult } from '../helpers/gpu-compare.js';
import { f32Tensor, gpuResult, paddedDispatch, toGpu, type GpuTensorData } from '../helpers/gpu-data.js';

/**
 * Exercise 6 extension, attention scores on the GPU: solutions/kernels/attention-scores.wgsl,
 *   S[b, i, j] = Q[b, i, :]·K[b, j, :] / √d   (seed 004: 7785; 7684 "n is the size of the hidden state")
 * with the causal mask (j > i hidden; seed 004: 7810), checked against the float64 oracle of
 * tests/helpers/attention-reference.ts recomputed in verify. The weights are softmax(S) over the last
 * axis; here a double of Exercise 5's softmax kernel built from the framework's WebGPU ops
 * (tests/helpers/attention-training.ts, softmaxOnGpu), so these checks need no other student kernel.
 * Handout: docs/exercises/6-modern.md#attentionscoreskernel
 */
const TOLERANCE = 1e-5;

/** What a run returns: the inputs, the GPU's S and (from the softmax double) its weights. */
interface Scored {
  q: TensorData;
  k: TensorData;
  causal: boolean;
  s: GpuTensorData;
  weights: GpuTensorData;
}

async function scoresOnGpu(q: Tensor, k: Tensor, causal: boolean): Promise<Scored> {
  const [gq, gk] = await toGpu(q, k);
  const s = runKernel('attentionScores', [gq, gk], { causal });
  return {
    q: tensorData(q, 'q'),
    k: tensorData(k, 'k'),
    causal,
    s: await gpuResult(s, "the 'attentionScores' WebGPU kernel"),
    weights: await gpuResult(softmaxOnGpu(s), 'softmax of the scores'),
  };
}

const random = (rng: Rng, shape: number[], spread = 2): Tensor => f32Tensor(rng, shape, -spread, spread);

const shapeOf = (t: PlainTensor): string => `[${t.shape.join(', ')}]`;

/** A hint for the first wrong score: the formulas students write instead. */
function scoreHint(got: number, q: PlainTensor, k: PlainTensor, b: number, i: number, j: number): string {
  const [, queries, depth] = q.shape;
  const keys = k.shape[1];
  let dot = 0;
  for (let c = 0; c < depth; c++) dot += q.data[(b * queries + i) * depth + c] * k.data[(b * keys + j) * depth + c];
  if (depth > 1 && closeEnough(got, dot, TOLERANCE))
    return 'It is the plain dot product: divide by √d (seed 004: 7785).';
  if (depth > 1 && closeEnough(got, dot / depth, TOLERANCE))
    return 'It is the dot product divided by d: the scale is 1/√d, not 1/d.';
  if (depth > 1 && closeEnough(got, dot * Math.sqrt(depth), TOLERANCE))
    return 'It is the dot product times √d: divide by √d instead.';
  return 'Check the indices: Q[b, i, c] is q[(b·TQ + i)·d + c] and Kᵀ means K[b, j, c] = k[(b·TK + j)·d + c], the row of key j.';
}

/** S against the definition: visible scores within the tolerance, masked ones so low that softmax gives 0. */
function verifyScores({ q, k, causal, s }: Scored, what: string, tolerance = TOLERANCE): void {
  const expected = attentionScoresOf(q, k, causal);
  const [batch, queries, keys] = expected.shape;
  if (s.device !== 'webgpu')
    fail(`${what}: the scores are on '${s.device}'; the kernel's output should stay on the GPU`);
  if (s.shape.join() !== expected.shape.join())
    fail(`${what}: S has shape [${s.shape.join(', ')}], expected [${expected.shape.join(', ')}] = [batch, TQ, TK]`);
  // Visible scores first: a mask on the wrong triangle then shows up as a masked visible score.
  for (const visiblePass of [true, false]) {
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < queries; i++) {
        const rowMax = visibleRowMax(expected, b, i);
        for (let j = 0; j < keys; j++) {
          const at = (b * queries + i) * keys + j;
          const [got, want] = [s.data[at], expected.data[at]];
          if ((want !== -Infinity) !== visiblePass) continue;
          if (want === -Infinity) {
            if (!isMasked(got, rowMax)) {
              fail(
                `${what}: S[${b}, ${i}, ${j}] = ${got} is not masked. With causal, every key j > i must get −∞ or a score at least ${MASK_MARGIN} below the row's largest visible score (${rowMax}), so that softmax gives it exactly 0${got === 0 ? '; 0 is not a mask (exp(0 − max) > 0)' : ''}.`,
              );
            }
          } else if (got === -Infinity || got < -1e30) {
            fail(
              `${what}: S[${b}, ${i}, ${j}] is masked (${got}) but ${j} ≤ ${i}: query i sees keys 0 … i, itself included; mask only the keys after it (j > i).`,
            );
          } else if (!closeEnough(got, want, tolerance)) {
            fail(
              `${what}: S[${b}, ${i}, ${j}] is ${got} on the GPU, ${want} by the definition S = Q·Kᵀ/√d (tolerance ${tolerance}). ${scoreHint(got, q, k, b, i, j)}`,
            );
          }
        }
      }
    }
  }
}

/** softmax(S): masked weights exactly 0, each row the softmax of its visible scores. */
function verifyWeights({ q, k, causal, weights }: Scored, what: string): void {
  const expected = softmaxOf(attentionScoresOf(q, k, causal));
  expectGpuResult(weights, expected, 1e-4, `${what}: softmax of the scores (the attention weights)`);
  expected.data.forEach((want, at) => {
    if (want === 0 && weights.data[at] !== 0)
      fail(
        `${what}: attention weight ${at} behind the causal mask is ${weights.data[at]}, not exactly 0: its score must be −∞ or low enough for exp to underflow`,
      );
  });
}

const shapes: Array<[number, number, number, boolean]> = [
  [1, 1, 1, false],
  [2, 3, 1, true],
  [1, 8, 8, false],
  [1, 8, 4, true],
  [3, 9, 5, true],
  [2, 17, 3, false],
  [1, 20, 16, true],
];

export default componentChecks(
  'ex6',
  'AttentionScoresKernel',
  [
    // Sequences shorter than, equal to and longer than the 8×8 tile; d = 1 included.
    ...shapes.map(([batch, time, depth, causal]) =>
      property({
        title: `[${batch}, ${time}, ${depth}]${causal ? ' causal' : ''}: S and the weights match the CPU`,
        run: (rng) => scoresOnGpu(random(rng, [batch, time, depth]), random(rng, [batch, time, depth]), causal),
        verify: (data) => {
          verifyScores(data, `[${batch}, ${time}, ${depth}]${causal ? ' causal' : ''}`);
          verifyWeights(data, `[${batch}, ${time}, ${depth}]${causal ? ' causal' : ''}`);
        },
      }),
    ),
    property({
      title: 'random shapes, causal or not, with as many or fewer or more keys than queries',
      run: async (rng) => {
        const samples: Scored[] = [];
        const draw = fc.tuple(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 19 }),
          fc.integer({ min: 1, max: 19 }),
          fc.integer({ min: 1, max: 12 }),
          fc.boolean(),
        );
        for (const [batch, queries, keysDrawn, depth, causal] of drawSamples(draw, rng, 12)) {
          const keys = causal ? queries : keysDrawn;
          samples.push(
            await scoresOnGpu(random(rng, [batch, queries, depth]), random(rng, [batch, keys, depth]), causal),
          );
        }
        return samples;
      },
      verify: (samples) =>
        samples.forEach((sample, n) => {
          const what = `sample ${n}: q ${shapeOf(sample.q)}, k ${shapeOf(sample.k)}${sample.causal ? ', causal' : ''}`;
          verifyScores(sample, what);
          verifyWeights(sample, what);
        }),
      hiddenRerun: true,
      // Masked scores may legitimately differ from the reference's (−∞, −1e9, the lowest float): verify decides.
      matchReference: false,
    }),
    property({
      title: 'the causal mask: masked weights are exactly 0 and each row is the softmax of its keys 0 … i',
      run: async (rng) => {
        const [batch, time, depth] = [intIn(rng, 1, 3), intIn(rng, 2, 24), intIn(rng, 1, 9)];
        // Large scores on purpose: a mask value of −100 or −1e4·… would still leak through some rows.
        return scoresOnGpu(random(rng, [batch, time, depth], 6), random(rng, [batch, time, depth], 6), true);
      },
      verify: (data) => {
        verifyScores(data, `causal ${shapeOf(data.q)}`, 1e-4);
        verifyWeights(data, `causal ${shapeOf(data.q)}`);
        const [batch, time] = data.q.shape;
        for (let b = 0; b < batch; b++) {
          for (let i = 0; i < time; i++) {
            let total = 0;
            for (let j = 0; j <= i; j++) total += data.weights.data[(b * time + i) * time + j];
            if (!closeEnough(total, 1, 1e-4))
              fail(
                `causal ${shapeOf(data.q)}: the weights of query ${i} on keys 0 … ${i} sum to ${total}, not 1 (the mask must hide only keys after the query)`,
              );
          }
        }
      },
      hiddenRerun: true,
      matchReference: false,
    }),
    property({
      title: 'scores of unit-variance q and k have variance about 1 for every d (why 1/√d, seed 004: 7785)',
      run: async (rng) => {
        const samples = [];
        for (const depth of [4, 16, 64]) {
          const normal = (shape: number[]) =>
            tensor(
              Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(rng.normal())),
              shape,
            );
          const { s } = await scoresOnGpu(normal([8, 16, depth]), normal([8, 16, depth]), false);
          samples.push({ depth, s });
        }
        return samples;
      },
      verify: (samples) =>
        samples.forEach(({ depth, s }) => {
          const mean = s.data.reduce((a, b) => a + b, 0) / s.data.length;
          const variance = s.data.reduce((a, v) => a + (v - mean) ** 2, 0) / s.data.length;
          if (!(variance > 0.6 && variance < 1.6)) {
            const scaledBy =
              variance > 1.6
                ? `about d = ${depth} (not scaled at all?)`
                : `about 1/d = ${(1 / depth).toFixed(4)} (divided by d instead of √d?)`;
            fail(
              `d = ${depth}: the variance of S over ${s.data.length} scores of N(0, 1) inputs is ${variance.toFixed(4)}, ${scaledBy}; Σ_c q_c·k_c has variance d, so S = q·kᵀ/√d has variance 1`,
            );
          }
        }),
      hiddenRerun: true,
      matchReference: 1e-4,
    }),
    property({
      title: 'reads and writes only its elements: NaN and ±∞ past the inputs, a sentinel past the output',
      // Dispatched as exercises/kernels/attention-scores.ts does: params (batch, TQ, TK, d, causal), 8×8 tiles, batch on z.
      run: async (rng) => {
        const samples = [];
        for (const [batch, queries, keys, depth, causal] of [
          [1, 1, 1, 1, 0],
          [2, 5, 7, 3, 0],
          [2, 9, 9, 2, 1],
          [1, 3, 17, 5, 0],
        ]) {
          const [q, k] = [random(rng, [batch, queries, depth]), random(rng, [batch, keys, depth])];
          const s = await paddedDispatch(
            attentionScoresKernel,
            [q, k],
            batch * queries * keys,
            [batch, queries, keys, depth, causal].map((u32) => ({ u32 })),
            [Math.ceil(keys / 8), Math.ceil(queries / 8), batch],
          );
          samples.push({ q: tensorData(q, 'q'), k: tensorData(k, 'k'), causal: causal === 1, s });
        }
        return samples;
      },
      verify: (samples) =>
        samples.forEach(({ q, k, causal, s }) => {
          const expected = attentionScoresOf(q, k, causal);
          // The masked entries are compared as the reference writes them; the other checks accept any low enough value.
          const finite = {
            shape: expected.shape,
            data: expected.data.map((v, at) => (v === -Infinity ? s.output[at] : v)),
          };
          expectPaddedResult(
            s,
            finite,
            TOLERANCE,
            `attention-scores.wgsl on q ${shapeOf(q)}, k ${shapeOf(k)} (guard every write with i < TQ, j < TK)`,
          );
        }),
    }),
    knownValue({
      title: 'a hand-checked 2×2: Q = [[2, 0, 0, 0], [0, 2, 2, 0]], K = [[1, 1, 0, 0], [0, 1, 1, 0]], d = 4',
      // Q·Kᵀ = [[2, 0], [2, 4]]; / √4 = [[1, 0], [1, 2]]. Causal: [[1, −∞], [1, 2]], so the weights are
      // [[1, 0], [1/(1 + e), e/(1 + e)]] = [[1, 0], [0.2689, 0.7311]].
      run: async () => ({
        open: await scoresOnGpu(
          tensor([2, 0, 0, 0, 0, 2, 2, 0], [1, 2, 4]),
          tensor([1, 1, 0, 0, 0, 1, 1, 0], [1, 2, 4]),
          false,
        ),
        causal: await scoresOnGpu(
          tensor([2, 0, 0, 0, 0, 2, 2, 0], [1, 2, 4]),
          tensor([1, 1, 0, 0, 0, 1, 1, 0], [1, 2, 4]),
          true,
        ),
      }),
      verify: ({ open, causal }) => {
        expectGpuResult(
          open.s,
          { shape: [1, 2, 2], data: [1, 0, 1, 2] },
          TOLERANCE,
          'S = Q·Kᵀ/√d of the 2×2 example ([[1, 0], [1, 2]]; Q·Kᵀ = [[2, 0], [2, 4]], √4 = 2)',
        );
        verifyScores(causal, 'the causal 2×2 example (S = [[1, −∞], [1, 2]])');
        const e = Math.E;
        expectGpuResult(
          causal.weights,
          { shape: [1, 2, 2], data: [1, 0, 1 / (1 + e), e / (1 + e)] },
          1e-5,
          'the weights of the causal 2×2 example ([[1, 0], [0.2689, 0.7311]])',
        );
        expect(causal.weights.data[1], 'the masked weight of the 2×2 example').toBe(0);
      },
    }),
    knownValue({
      title: 'q = k = (1, …, 1): S = d/√d = √d, so 4 for d = 16 and 1 for d = 1',
      run: async () => ({
        wide: await scoresOnGpu(
          tensor(new Array(32).fill(1), [1, 2, 16]),
          tensor(new Array(16).fill(1), [1, 1, 16]),
          false,
        ),
        narrow: await scoresOnGpu(tensor([1], [1, 1, 1]), tensor([1], [1, 1, 1]), false),
      }),
      verify: ({ wide, narrow }) => {
        expectGpuResult(
          wide.s,
          { shape: [1, 2, 1], data: [4, 4] },
          TOLERANCE,
          'S of q = k = 1 with d = 16: Σ 1 = 16, divided by √16 = 4 (16 means no scaling, 1 means dividing by d)',
        );
        expectGpuResult(narrow.s, { shape: [1, 1, 1], data: [1] }, TOLERANCE, 'S of q = k = 1 with d = 1');
      },
    }),
    knownValue({
      title: 'each batch entry uses its own Q and K, and Kᵀ: two 2×3 sequences with d = 2',
      // b = 0: Q = [[1, 0], [0, 1]], K = [[1, 2], [3, 4], [5, 6]]: Q·Kᵀ = [[1, 3, 5], [2, 4, 6]].
      // b = 1: Q = [[1, 1], [2, 0]], K = [[0, 1], [1, 0], [1, 1]]: Q·Kᵀ = [[1, 1, 2], [0, 2, 2]]. Divide by √2.
      run: () =>
        scoresOnGpu(
          tensor([1, 0, 0, 1, 1, 1, 2, 0], [2, 2, 2]),
          tensor([1, 2, 3, 4, 5, 6, 0, 1, 1, 0, 1, 1], [2, 3, 2]),
          false,
        ),
      verify: (data) => {
        const r = Math.SQRT1_2;
        expectGpuResult(
          data.s,
          { shape: [2, 2, 3], data: [1, 3, 5, 2, 4, 6, 1, 1, 2, 0, 2, 2].map((v) => v * r) },
          TOLERANCE,
          'S of two batch entries with 2 queries and 3 keys (Q·Kᵀ/√2)',
        );
      },
    }),
    gradient({
      title:
        'centred differences of S match the backward of attention: dQ = dS·K/√d, dK = dSᵀ·Q/√d (masked scores pass nothing)',
      // The layer's backward pass (ScaledDotProductAttention) is these two products; they are right only
      // if the kernel computes Q·Kᵀ/√d with the mask. Directional derivatives of v·S along every element
      // of Q and K (h = 1/8, float32) against the products recomputed from the inputs.
      run: async (rng) => {
        const cases = [];
        for (const [batch, queries, keys, depth, causal] of [
          [1, 3, 4, 2, false],
          [2, 3, 3, 2, true],
        ] as const) {
          const [q, k] = [random(rng, [batch, queries, depth], 1), random(rng, [batch, keys, depth], 1)];
          const v = random(rng, [batch, queries, keys], 1);
          const h = 1 / 8;
          const scoresOf = async (qq: Tensor, kk: Tensor) => (await scoresOnGpu(qq, kk, causal)).s;
          const nudged = (t: Tensor, at: number, delta: number) =>
            tensor(
              Array.from(t.data, (value, i) => (i === at ? value + delta : value)),
              t.shape,
            );
          const differences = async (t: Tensor, of: (nudgedT: Tensor) => Promise<GpuTensorData>) => {
            const out: Array<{ up: number[]; down: number[] }> = [];
            for (let at = 0; at < t.size; at++)
              out.push({ up: (await of(nudged(t, at, h))).data, down: (await of(nudged(t, at, -h))).data });
            return out;
          };
          const before = gpuDispatchCount('attentionScores');
          const base = await scoresOnGpu(q, k, causal);
          const dispatches = gpuDispatchCount('attentionScores') - before;
          cases.push({
            base,
            v: tensorData(v, 'v'),
            h,
            dispatches,
            alongQ: await differences(q, (t) => scoresOf(t, k)),
            alongK: await differences(k, (t) => scoresOf(q, t)),
          });
        }
        return cases;
      },
      verify: (cases) =>
        cases.forEach(({ base, v, h, dispatches, alongQ, alongK }) => {
          const what = `q ${shapeOf(base.q)}, k ${shapeOf(base.k)}${base.causal ? ', causal' : ''}`;
          expect(
            dispatches,
            "runKernel('attentionScores') on the GPU should dispatch attention-scores.wgsl exactly once",
          ).toBe(1);
          verifyScores(base, what);
          const [batch, queries, depth] = base.q.shape;
          const keys = base.k.shape[1];
          const scale = 1 / Math.sqrt(depth);
          const visible = (i: number, j: number) => !base.causal || j <= i;
          const vAt = (b: number, i: number, j: number) => (visible(i, j) ? v.data[(b * queries + i) * keys + j] : 0);
          const numeric = ({ up, down }: { up: number[]; down: number[] }) => {
            let total = 0;
            for (let at = 0; at < up.length; at++)
              if (Number.isFinite(up[at]) && up[at] > -1e30) total += (v.data[at] * (up[at] - down[at])) / (2 * h);
            return total;
          };
          for (let b = 0; b < batch; b++) {
            for (let c = 0; c < depth; c++) {
              for (let i = 0; i < queries; i++) {
                let analytic = 0; // (dS·K/√d)[b, i, c] with dS = v
                for (let j = 0; j < keys; j++)
                  analytic += vAt(b, i, j) * base.k.data[(b * keys + j) * depth + c] * scale;
                const got = numeric(alongQ[(b * queries + i) * depth + c]);
                if (Math.abs(got - analytic) > 1e-3 * (1 + Math.abs(analytic)))
                  fail(
                    `${what}: ∂(v·S)/∂Q[${b}, ${i}, ${c}] is ${got} by centred differences, (v·K/√d)[${b}, ${i}, ${c}] = ${analytic}: the kernel's S is not Q·Kᵀ/√d${base.causal ? ' with the mask' : ''}`,
                  );
              }
              for (let j = 0; j < keys; j++) {
                let analytic = 0; // (dSᵀ·Q/√d)[b, j, c]
                for (let i = 0; i < queries; i++)
                  analytic += vAt(b, i, j) * base.q.data[(b * queries + i) * depth + c] * scale;
                const got = numeric(alongK[(b * keys + j) * depth + c]);
                if (Math.abs(got - analytic) > 1e-3 * (1 + Math.abs(analytic)))
                  fail(
                    `${what}: ∂(v·S)/∂K[${b}, ${j}, ${c}] is ${got} by centred differences, (vᵀ·Q/√d)[${b}, ${j}, ${c}] = ${analytic}: the kernel's S is not Q·Kᵀ/√d${base.causal ? ' with the mask' : ''}`,
                  );
              }
            }
          }
        }),
    }),
    badInput({
      title:
        'refuses q and k of different d or batch, inputs that are not [batch, time, d], and a causal mask with TQ ≠ TK (given code, after a valid call)',
      run: async () => {
        const valid = await scoresOnGpu(
          tensor([2, 0, 0, 0, 0, 2, 2, 0], [1, 2, 4]),
          tensor([1, 1, 0, 0, 0, 1, 1, 0], [1, 2, 4]),
          false,
        );
        const [q, kOtherDepth, kOtherBatch, flat, kFewer] = await toGpu(
          tensor([1, 2, 3, 4], [1, 2, 2]),
          tensor([1, 2, 3], [1, 1, 3]),
          tensor([1, 2, 3, 4], [2, 1, 2]),
          tensor([1, 2, 3, 4], [2, 2]),
          tensor([1, 2], [1, 1, 2]),
        );
        return {
          valid,
          depth: thrown(() => runKernel('attentionScores', [q, kOtherDepth])),
          batch: thrown(() => runKernel('attentionScores', [q, kOtherBatch])),
          rank: thrown(() => runKernel('attentionScores', [flat, flat])),
          causal: thrown(() => runKernel('attentionScores', [q, kFewer], { causal: true })),
        };
      },
      verify: ({ valid, depth, batch, rank, causal }) => {
        expectGpuResult(
          valid.s,
          { shape: [1, 2, 2], data: [1, 0, 1, 2] },
          TOLERANCE,
          'S of the 2×2 example (the valid call)',
        );
        expectError(depth, ShapeError.name, 'attentionScores of q [1, 2, 2] with k [1, 1, 3] (d differs)');
        expectError(batch, ShapeError.name, 'attentionScores of q [1, 2, 2] with k [2, 1, 2] (batch differs)');
        expectError(rank, ShapeError.name, 'attentionScores of [2, 2] inputs (not [batch, time, d])');
        expectError(
          causal,
          ShapeError.name,
          'causal attentionScores of 2 queries and 1 key (the causal mask needs TQ = TK)',
        );
      },
    }),
    training({
      title:
        'a causal head trained with the kernel attends to the previous token: the losses follow the CPU, 95% on held-out sequences',
      weight: 2,
      run: () => headRuns(new Rng(8), 12),
      verify: verifyHeadRuns,
    }),
    training({
      title: 'the previous-token head on other sequences and starting weights',
      run: (rng) => headRuns(rng.fork(), intIn(rng, 8, 16)),
      verify: verifyHeadRuns,
      matchReference: 1e-3,
    }),
  ],
  { webgpu: true },
);

const HEAD = { time: 8, vocabulary: 8, depth: 8, steps: 20, learningRate: 10 };

/** The head trained on both devices from the same start; the held-out sequences come from the same rng. */
async function headRuns(rng: Rng, sequences: number) {
  const task = previousTokenTask(rng, sequences, HEAD.time, HEAD.vocabulary);
  const heldOut = previousTokenTask(rng, 16, HEAD.time, HEAD.vocabulary);
  const initial = initialHead(rng, task, HEAD.depth);
  const options = { steps: HEAD.steps, learningRate: HEAD.learningRate, evaluate: heldOut };
  return {
    task,
    heldOut,
    gpu: await trainPreviousTokenHead('webgpu', task, initial, options),
    cpu: await trainPreviousTokenHead('cpu', task, initial, options),
  };
}

function verifyHeadRuns({
  task,
  heldOut,
  gpu,
  cpu,
}: {
  task: ReturnType<typeof previousTokenTask>;
  heldOut: ReturnType<typeof previousTokenTask>;
  gpu: HeadRun;
  cpu: HeadRun;
}): void {
  const what = `the previous-token head on ${task.sequences} sequences of ${task.time} tokens, ${HEAD.steps} steps`;
  expect(
    gpu.dispatches,
    `${what}: dispatches of attention-scores.wgsl (one per step, one before the last step's weights are read, one for the held-out set)`,
  ).toBe(HEAD.steps + 2);
  gpu.losses.forEach((loss, step) => {
    if (!(Math.abs(loss - cpu.losses[step]) < 1e-3))
      fail(
        `${what}: the loss at step ${step} is ${loss} with the GPU's scores, ${cpu.losses[step]} with the CPU's: the scores differ (run the other checks first)`,
      );
  });
  if (!(gpu.losses.at(-1)! < gpu.losses[0] / 4))
    fail(`${what}: the loss went from ${gpu.losses[0]} to ${gpu.losses.at(-1)}; it should fall to under a quarter`);
  const onTrain = previousTokenAccuracy(gpu.attention, task);
  const onHeldOut = previousTokenAccuracy(gpu.heldOut, heldOut);
  const cpuHeldOut = previousTokenAccuracy(cpu.heldOut, heldOut);
  if (!(onHeldOut >= 0.95))
    fail(
      `${what}: the trained head finds the previous token in ${(100 * onHeldOut).toFixed(1)}% of held-out positions (training set ${(100 * onTrain).toFixed(1)}%, the CPU twin ${(100 * cpuHeldOut).toFixed(1)}%); expected at least 95%`,
    );
}
