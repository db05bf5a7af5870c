import {
  compareWithNumeric,
  Tensor,
  type GradientComparison,
  type Layer,
  type Parameter,
  type Rng,
} from '../../framework/index.js';
import { AdamDouble, softmaxCrossEntropy } from './cnn-doubles.js';
import { denseDouble, type DenseDouble } from './dense-double.js';

/**
 * Run-side helpers of the Exercise 6 attention checks: a gradient check for a three-input attention,
 * token-wise dense doubles, the sequence tasks and a small training loop. Only the component under test
 * is the student's; everything else here is a test-local double (DESIGN §5).
 */

/** What the tests need of an attention with three inputs (the student's ScaledDotProductAttention). */
export interface ThreeInputAttention {
  forward(query: Tensor, key: Tensor, value: Tensor): Tensor;
  backward(gradOutput: Tensor): { query: Tensor; key: Tensor; value: Tensor };
}

/** The gradient check of Q, K and V as plain data (verify: expectAttentionGradients). */
export interface AttentionGradientData {
  readonly query: GradientComparison;
  readonly key: GradientComparison;
  readonly value: GradientComparison;
}

/**
 * backward(G) against centred differences of L = Σ G ⊙ forward(q, k, v) (h = 1e-5, float64), for each
 * of the three inputs. A gradient of the wrong shape is reported as an infinite error.
 */
export function attentionGradients(
  attention: ThreeInputAttention,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  upstream: Tensor,
): AttentionGradientData {
  const inputs = { query: q.clone(), key: k.clone(), value: v.clone() };
  attention.forward(inputs.query, inputs.key, inputs.value);
  const analytic = attention.backward(upstream);
  const objective = (): number => {
    const y = attention.forward(inputs.query, inputs.key, inputs.value).data;
    let total = 0;
    for (let i = 0; i < y.length; i++) total += y[i] * upstream.data[i];
    return total;
  };
  const compare = (name: 'query' | 'key' | 'value'): GradientComparison => {
    const gradient = analytic?.[name];
    if (!(gradient instanceof Tensor) || gradient.shape.join() !== inputs[name].shape.join()) {
      return { name, maxRelativeError: Infinity, worstIndex: [], analytic: NaN, numeric: NaN };
    }
    return compareWithNumeric(name, gradient.clone(), inputs[name], objective);
  };
  return { query: compare('query'), key: compare('key'), value: compare('value') };
}

/** A dense double applied to every token of [batch, T, in] → [batch, T, out]. */
export class TokenDense implements Layer {
  readonly name = 'TokenDense';
  training = true;
  readonly dense: DenseDouble;
  #shape?: readonly number[];

  constructor(inFeatures: number, outFeatures: number, rng: Rng) {
    this.dense = denseDouble(inFeatures, outFeatures, rng);
  }

  forward(x: Tensor): Tensor {
    const [batch, time, features] = x.shape;
    this.#shape = x.shape;
    const y = this.dense.forward(new Tensor([batch * time, features], x.data));
    return new Tensor([batch, time, this.dense.outFeatures], y.data);
  }

  backward(gradOutput: Tensor): Tensor {
    const [batch, time, features] = gradOutput.shape;
    const dx = this.dense.backward(new Tensor([batch * time, features], gradOutput.data));
    return new Tensor(this.#shape as readonly number[], dx.data);
  }

  parameters(): Parameter[] {
    return this.dense.parameters();
  }
}

/** A batch of a sequence task: one-hot inputs [n, T, V], one-hot targets per token [n·T, classes], the labels. */
export interface SequenceBatch {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly labels: number[];
}

function oneHotRows(labels: readonly number[], classes: number): Tensor {
  const y = new Float64Array(labels.length * classes);
  labels.forEach((label, row) => {
    y[row * classes + label] = 1;
  });
  return new Tensor([labels.length, classes], y);
}

/** Random token sequences and, for each position t, the token at position T − 1 − t (reversal). */
export function reversalBatch(rng: Rng, count: number, length: number, vocabulary: number): SequenceBatch {
  const x = new Float64Array(count * length * vocabulary);
  const labels: number[] = [];
  for (let s = 0; s < count; s++) {
    const tokens = Array.from({ length }, () => rng.int(vocabulary));
    tokens.forEach((token, t) => {
      x[(s * length + t) * vocabulary + token] = 1;
    });
    for (let t = 0; t < length; t++) labels.push(tokens[length - 1 - t]);
  }
  return { x: new Tensor([count, length, vocabulary], x), y: oneHotRows(labels, vocabulary), labels };
}

/**
 * Sequences of `length` tokens, each the one-hot of one of `classes` classes plus a marker feature
 * (features: classes + 1); exactly one token per sequence is marked, and every position's target is the
 * class of the marked token. Solving it needs attention that finds the marker (content, not position).
 */
export function markedTokenBatch(
  rng: Rng,
  count: number,
  length: number,
  classes: number,
): SequenceBatch & { marked: number[] } {
  const features = classes + 1;
  const x = new Float64Array(count * length * features);
  const labels: number[] = [];
  const marked: number[] = [];
  for (let s = 0; s < count; s++) {
    const tokens = Array.from({ length }, () => rng.int(classes));
    const at = rng.int(length);
    tokens.forEach((token, t) => {
      x[(s * length + t) * features + token] = 1;
    });
    x[(s * length + at) * features + classes] = 1;
    marked.push(at);
    for (let t = 0; t < length; t++) labels.push(tokens[at]);
  }
  return { x: new Tensor([count, length, features], x), y: oneHotRows(labels, classes), labels, marked };
}

/**
 * `iterations` Adam steps (the double) of `layers` (the last one giving logits [n, T, classes]) with
 * mean softmax cross-entropy over every token of fresh batches; returns the loss of each step.
 */
export function trainTokenClassifier(
  layers: readonly Layer[],
  next: () => SequenceBatch,
  options: { iterations: number; lr: number },
): number[] {
  const parameters = layers.flatMap((layer) => layer.parameters());
  const optimizer = new AdamDouble(options.lr);
  const losses: number[] = [];
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const batch = next();
    optimizer.zeroGrad(parameters);
    const logits = forwardThrough(layers, batch.x);
    const { loss, grad } = softmaxCrossEntropy(
      new Tensor([batch.labels.length, logits.shape[2]], logits.data),
      batch.y,
    );
    losses.push(loss);
    let gradient = new Tensor(logits.shape, grad.data);
    for (let l = layers.length - 1; l >= 0; l--) gradient = layers[l].backward(gradient);
    optimizer.step(parameters);
  }
  return losses;
}

export function forwardThrough(layers: readonly Layer[], x: Tensor): Tensor {
  return layers.reduce((out, layer) => layer.forward(out), x);
}
