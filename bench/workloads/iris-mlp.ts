import { loadIris, Rng, standardizer, trainTestSplit, type Tensor } from '../../framework/index.js';
import { CrossEntropyLoss } from '../../solutions/losses/cross-entropy-loss.js';
import { buildIrisNetwork } from '../../scripts/iris-network.js';
import type { Scalar } from '@tensorflow/tfjs';
import type { Tfjs } from '../lib/tfjs.js';

/**
 * The Exercise 1 training problem, as scripts/train-iris.ts runs it: Iris split 2/3 : 1/3
 * (seeded, stratified), features standardised on the training set, batches of 100, SGD lr 0.1,
 * network 4 → 10 (ReLU) → 3 (SoftMax), cross-entropy on the probabilities (mean over the batch).
 */
export interface IrisProblem {
  x: Tensor;
  y: Tensor;
  batchSize: number;
  learningRate: number;
}

export function irisProblem(seed = 1): IrisProblem {
  const iris = loadIris();
  const { train } = trainTestSplit(iris, { rng: new Rng(seed), testFraction: 1 / 3 });
  return { x: standardizer(train.x)(train.x), y: train.y, batchSize: 100, learningRate: 0.1 };
}

/** Trains for `iterations` steps and returns each step's loss. */
export interface IrisTrainer {
  train(iterations: number): number[];
  dispose(): void;
}

/**
 * The kit's reference solution: NeuralNetwork.fit, whose iteration is the loader's next batch,
 * zeroGrad, forward, loss, backward and the SGD step. `initialParameters` are its starting
 * values, for giving another implementation the same start.
 */
export function kitIrisTrainer(problem: IrisProblem, seed = 1): IrisTrainer & { initialParameters: Tensor[] } {
  const network = buildIrisNetwork({ rng: new Rng(seed), lr: problem.learningRate });
  const data = { x: problem.x, y: problem.y };
  return {
    initialParameters: network.parameters().map((parameter) => parameter.value.clone()),
    train: (iterations) => network.fit({ data, iterations, batchSize: problem.batchSize }),
    dispose: () => {},
  };
}

/**
 * The same network and step in TensorFlow.js on its active backend, written as a tfjs user would
 * for speed: tf.variable weights, a loss function, `optimizer.minimize` (SGD), and the loss read
 * back every step as the kit's fit returns it. Each step gathers a shuffled batch, as the kit's
 * DataLoader does. Float32, the precision tfjs computes in.
 */
export function tfjsIrisTrainer(
  tf: Tfjs,
  problem: IrisProblem,
  initialParameters: readonly Tensor[],
  seed = 1,
): IrisTrainer {
  const [n, features] = problem.x.shape;
  const classes = problem.y.shape[1];
  const xs = tf.tensor2d(Float32Array.from(problem.x.data), [n, features]);
  const ys = tf.tensor2d(Float32Array.from(problem.y.data), [n, classes]);
  const [w1, b1, w2, b2] = initialParameters.map((p) =>
    tf.variable(tf.tensor(Float32Array.from(p.data), [...p.shape])),
  );
  const optimizer = tf.train.sgd(problem.learningRate);
  const rng = new Rng(seed);
  const batch = Math.min(problem.batchSize, n);
  // Number.EPSILON, as the kit's CrossEntropyLoss, keeps log(0) finite.
  const epsilon = CrossEntropyLoss.epsilon;

  const step = (): number => {
    const order = tf.tensor1d(Int32Array.from(rng.permutation(n).slice(0, batch)), 'int32');
    const xb = tf.gather(xs, order);
    const yb = tf.gather(ys, order);
    const cost = optimizer.minimize(
      () => {
        const hidden = tf.relu(tf.add(tf.matMul(xb, w1), b1));
        const probabilities = tf.softmax(tf.add(tf.matMul(hidden, w2), b2));
        return tf.neg(tf.mean(tf.sum(tf.mul(yb, tf.log(tf.add(probabilities, epsilon))), 1))) as Scalar;
      },
      true,
      [w1, b1, w2, b2],
    );
    const loss = cost ? cost.dataSync()[0] : NaN;
    tf.dispose([order, xb, yb, cost ?? []]);
    return loss;
  };

  return {
    train: (iterations) => Array.from({ length: iterations }, step),
    dispose: () => {
      tf.dispose([xs, ys, w1, b1, w2, b2]);
      optimizer.dispose();
    },
  };
}
