import { expect } from 'vitest';
import { Rng, Tensor, type Layer } from '../../framework/index.js';
import { MultiHeadSelfAttention } from '#impl/layers/multi-head-self-attention.js';
import { PositionalEncoding } from '#impl/layers/positional-encoding.js';
import {
  accuracyOf,
  componentChecks,
  expectClose,
  fail,
  gradientData,
  property,
  tensorData,
  training,
  type TensorData,
} from '../harness/index.js';
import {
  MHSA_PARAMETERS,
  mhsaDefinition,
  sinusoidTable,
  type MhsaParameters,
} from '../helpers/attention-definition.js';
import { forwardThrough, reversalBatch, TokenDense, trainTokenClassifier } from '../helpers/attention-doubles.js';
import { softmaxCrossEntropy } from '../helpers/cnn-doubles.js';

/**
 * The attention model of Exercise 6, end to end with your PositionalEncoding and MultiHeadSelfAttention:
 * one-hot tokens → embedding (a dense layer per token) → + PositionalEncoding → MultiHeadSelfAttention →
 * a dense layer per token → softmax cross-entropy on every position (seed 004: 7776–7798: embedding,
 * self-attention, multi-head, "positional encoding to represent word order"). The dense layers, the
 * loss and Adam are test-local doubles; the two attention components are yours.
 *
 * The task is reversal: position t must output the token at position T − 1 − t. No bag-of-tokens model can
 * do it: without positional encoding the model is permutation equivariant (every position sees the same
 * set of tokens), so it cannot tell which token stands opposite it.
 * Handout: docs/exercises/6-modern.md#the-attention-model
 */

/** The task and the model's sizes and schedule (the handout's, with its measured margins). */
const TASK = { length: 5, vocabulary: 6, dModel: 16, heads: 2, batch: 32, iterations: 100, lr: 0.03, test: 200 };

/** Held-out per-token accuracy the trained model must reach (correct code: 0.99 to 1.0 over 40 seeds). */
const REVERSAL_ACCURACY = 0.95;

/** What the same model without positional encoding may reach at most (correct code: about 0.43; chance is 1/6). */
const WITHOUT_POSITIONS = 0.6;

function attentionModel(rng: Rng, positions: boolean): Layer[] {
  const { vocabulary, dModel, heads } = TASK;
  return [
    new TokenDense(vocabulary, dModel, rng),
    ...(positions ? [new PositionalEncoding()] : []),
    new MultiHeadSelfAttention({ dModel, heads, rng }),
    new TokenDense(dModel, vocabulary, rng),
  ];
}

/** Trains the model on fresh random sequences and returns the logits of a held-out set before and after. */
function trainReversal(seeds: { init: number; data: number; test: number }, positions: boolean, iterations: number) {
  const { length, vocabulary, batch, lr, test } = TASK;
  const layers = attentionModel(new Rng(seeds.init), positions);
  const held = reversalBatch(new Rng(seeds.test), test, length, vocabulary);
  const logits = (): TensorData =>
    tensorData(
      new Tensor([test * length, vocabulary], forwardThrough(layers, held.x).data),
      'the logits after MultiHeadSelfAttention',
    );
  const before = logits();
  const data = new Rng(seeds.data);
  const losses = trainTokenClassifier(layers, () => reversalBatch(data, batch, length, vocabulary), { iterations, lr });
  return { before, after: logits(), labels: held.labels, losses };
}

// ---- The whole model on plain data, for verify: the handout's formulas, written out with loops. ----

type Dense = { weight: TensorData; bias: TensorData };

function dense(rows: readonly number[], n: number, { weight, bias }: Dense): number[] {
  const [inputs, outputs] = weight.shape;
  return Array.from({ length: n * outputs }, (_, i) => {
    const [r, o] = [Math.floor(i / outputs), i % outputs];
    let total = bias.data[o];
    for (let k = 0; k < inputs; k++) total += rows[r * inputs + k] * weight.data[k * outputs + o];
    return total;
  });
}

/** Loss, logits and the gradients of the embedding and of every attention parameter, by definition. */
function modelDefinition(
  x: TensorData,
  labels: readonly number[],
  embedding: Dense,
  attention: MhsaParameters,
  readOut: Dense,
  heads: number,
) {
  const [batch, time, vocabulary] = x.shape;
  const dModel = embedding.weight.shape[1];
  const n = batch * time;
  const table = sinusoidTable(time, dModel);
  const h = dense(x.data, n, embedding).map((v, i) => v + table.data[i % (time * dModel)]);
  const hidden = { shape: [batch, time, dModel], data: h };
  const y = mhsaDefinition(hidden, attention, heads, false).y;
  const logits = dense(y.data, n, readOut);
  let loss = 0;
  const dLogits = new Array<number>(n * vocabulary).fill(0);
  for (let r = 0; r < n; r++) {
    const row = logits.slice(r * vocabulary, (r + 1) * vocabulary);
    const top = Math.max(...row);
    const total = row.reduce((s, v) => s + Math.exp(v - top), 0);
    loss -= (row[labels[r]] - top - Math.log(total)) / n;
    row.forEach((v, k) => {
      dLogits[r * vocabulary + k] = (Math.exp(v - top) / total - (k === labels[r] ? 1 : 0)) / n;
    });
  }
  // dy = dLogits·Woutᵀ; then the attention's backward; PE passes the gradient to the embedding: ∇We = xᵀ·dh, ∇be = Σ dh.
  const dy = Array.from({ length: n * dModel }, (_, i) => {
    const [r, c] = [Math.floor(i / dModel), i % dModel];
    let total = 0;
    for (let k = 0; k < vocabulary; k++) total += dLogits[r * vocabulary + k] * readOut.weight.data[c * vocabulary + k];
    return total;
  });
  const back = mhsaDefinition(hidden, attention, heads, false, { shape: [batch, time, dModel], data: dy });
  const dWe = new Array<number>(vocabulary * dModel).fill(0);
  const dbe = new Array<number>(dModel).fill(0);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < dModel; c++) {
      const g = back.dx!.data[r * dModel + c];
      dbe[c] += g;
      for (let k = 0; k < vocabulary; k++) dWe[k * dModel + c] += x.data[r * vocabulary + k] * g;
    }
  }
  return {
    loss,
    logits: { shape: [n, vocabulary], data: logits },
    attention: back.grads!,
    embedding: { weight: { shape: [vocabulary, dModel], data: dWe }, bias: { shape: [dModel], data: dbe } },
  };
}

export default componentChecks('ex6', 'AttentionModel', [
  property({
    title:
      'one forward and backward of the whole model from random weights: logits, loss, every attention gradient and the embedding gradient through PositionalEncoding',
    run: (rng) => {
      const { length, vocabulary } = TASK;
      const layers = attentionModel(rng.fork(), true);
      const [embedding, , attention, readOut] = layers as [
        TokenDense,
        PositionalEncoding,
        MultiHeadSelfAttention,
        TokenDense,
      ];
      for (const parameter of layers.flatMap((layer) => layer.parameters()))
        parameter.assign(rng.normalTensor(parameter.value.shape, 0, 0.5));
      const batch = reversalBatch(rng.fork(), 3, length, vocabulary);
      const denseData = (layer: TokenDense): Dense => ({
        weight: tensorData(layer.dense.weight.value, 'weight'),
        bias: tensorData(layer.dense.bias.value, 'bias'),
      });
      const initial = {
        embedding: denseData(embedding),
        readOut: denseData(readOut),
        attention: Object.fromEntries(attention.parameters().map((p) => [p.name, tensorData(p.value, p.name)])),
      };
      const logits = forwardThrough(layers, batch.x);
      const { loss, grad } = softmaxCrossEntropy(new Tensor([batch.labels.length, vocabulary], logits.data), batch.y);
      let gradient = new Tensor(logits.shape, grad.data);
      for (let l = layers.length - 1; l >= 0; l--) gradient = layers[l].backward(gradient);
      return {
        x: tensorData(batch.x, 'x'),
        labels: batch.labels,
        initial,
        loss,
        logits: tensorData(new Tensor([batch.labels.length, vocabulary], logits.data), 'the logits'),
        attention: gradientData(attention.parameters(), 'MultiHeadSelfAttention.backward'),
        embedding: gradientData(embedding.parameters(), 'the embedding (gradient through PositionalEncoding.backward)'),
      };
    },
    verify: ({ x, labels, initial, loss, logits, attention, embedding }) => {
      const want = modelDefinition(
        x,
        labels,
        initial.embedding,
        initial.attention as MhsaParameters,
        initial.readOut,
        TASK.heads,
      );
      expectClose(
        logits,
        want.logits,
        1e-9,
        "the model's logits: embedding → + PE → MultiHeadSelfAttention → read-out (check both forward passes)",
      );
      expectClose(loss, want.loss, 1e-9, 'mean softmax cross-entropy over every position');
      for (const name of MHSA_PARAMETERS) {
        if (!attention[name]) fail(`MultiHeadSelfAttention.parameters() has no parameter named '${name}'`);
        expectClose(
          attention[name],
          want.attention[name],
          1e-8,
          `MultiHeadSelfAttention ${name}.grad inside the model`,
        );
      }
      expectClose(
        embedding.weight,
        want.embedding.weight,
        1e-8,
        "the embedding's weight gradient: ∂L/∂x of MultiHeadSelfAttention must pass through PositionalEncoding.backward unchanged",
      );
      expectClose(
        embedding.bias,
        want.embedding.bias,
        1e-8,
        "the embedding's bias gradient (through PositionalEncoding.backward)",
      );
    },
    hiddenRerun: true,
  }),
  training({
    title: `learns to reverse sequences of ${TASK.length} tokens: held-out per-token accuracy ≥ ${REVERSAL_ACCURACY} after ${TASK.iterations} Adam steps, and the same seed gives the same loss curve`,
    weight: 2,
    run: (rng) => {
      const seeds = { init: rng.nextUint32(), data: rng.nextUint32(), test: rng.nextUint32() };
      return { ...trainReversal(seeds, true, TASK.iterations), again: trainReversal(seeds, true, 5).losses };
    },
    verify: ({ before, after, labels, losses, again }) => {
      const [untrained, accuracy] = [accuracyOf(before, labels), accuracyOf(after, labels)];
      const curve = `the loss went from ${losses[0].toFixed(4)} to ${losses.at(-1)!.toFixed(4)}`;
      if (!(accuracy >= REVERSAL_ACCURACY)) {
        fail(
          `held-out per-token accuracy on reversal is ${accuracy.toFixed(3)}, expected at least ${REVERSAL_ACCURACY} (untrained: ${untrained.toFixed(3)}); ${curve}. With PositionalEncoding and MultiHeadSelfAttention green, look at how the parts fit: the encoding added to the embedding, the gradient passed back through it.`,
        );
      }
      expect(
        again,
        'the same seed must give the same loss curve (no Math.random, no state carried between models)',
      ).toEqual(losses.slice(0, again.length));
    },
    matchReference: false,
  }),
  training({
    title: `without positional encoding the same model cannot reverse: held-out per-token accuracy stays below ${WITHOUT_POSITIONS} (it cannot tell the positions apart)`,
    run: (rng) =>
      trainReversal({ init: rng.nextUint32(), data: rng.nextUint32(), test: rng.nextUint32() }, false, TASK.iterations),
    verify: ({ after, labels, losses }) => {
      const accuracy = accuracyOf(after, labels);
      if (!(accuracy > 1 / TASK.vocabulary))
        fail(
          `without positional encoding the model reached only ${accuracy.toFixed(3)}, at or below chance (1/${TASK.vocabulary}); it should at least learn the middle token and the bag of tokens (the loss went from ${losses[0].toFixed(4)} to ${losses.at(-1)!.toFixed(4)})`,
        );
      if (!(accuracy < WITHOUT_POSITIONS))
        fail(
          `without positional encoding the model reached ${accuracy.toFixed(3)} on reversal, expected below ${WITHOUT_POSITIONS}: self-attention without a mask must not depend on where a token stands. Is MultiHeadSelfAttention causal by default, or does it use positions?`,
        );
    },
    matchReference: false,
  }),
]);
