import { CHALLENGE_ACCURACY, CHALLENGE_CAPS } from '../framework/challenge/challenge-rules.js';

/**
 * The course manifest: the one place that says which exercises exist, in what order, which files and
 * components each owns, where its tests and handout are, and how many points each component is worth.
 * The stub tool, the scoreboard, the grader and the handouts all read it.
 */
export interface ComponentSpec {
  /** The name tests use after the exercise id: `describe('ex1 FullyConnected', …)`. */
  readonly name: string;
  /** Files under solutions/ (and exercises/) that hold this component, relative to that folder. */
  readonly files: readonly string[];
  /** Handout section: `docs/exercises/1-feed-forward.md#fullyconnected` (the GitHub slug of the heading `## FullyConnected`). */
  readonly handout: string;
  /**
   * Points for the component's public checks (its test file), shared by the checks' weights. The
   * student's scoreboard and the grader's public score both sum exactly these.
   */
  readonly points: number;
  /**
   * Points for hidden grading: the public checks marked `hiddenRerun`, run again under a secret seed,
   * plus the hidden-only checks in the exercise's hiddenTests folder, shared by their weights.
   */
  readonly hiddenPoints?: number;
}

export interface ExerciseSpec {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly handout: string;
  readonly components: readonly ComponentSpec[];
  /** Folder of public tests, relative to the repository root. */
  readonly publicTests: string;
  /** Folder of hidden tests (never handed out), relative to the repository root. */
  readonly hiddenTests: string;
  /** Due date and time (ISO 8601, with its time zone); the grader's late policy reads it. None: never late. */
  readonly due?: string;
  /** A challenge exercise (Exercise 7): a model scored on a hidden test set, with a leaderboard. */
  readonly challenge?: ChallengeSpec;
}

/**
 * The challenge: the student submits a model file and its trained weights; the grader runs the model
 * on a hidden test set in the sandbox (images only), scores the accuracy itself and ranks the class.
 */
export interface ChallengeSpec {
  /** Relative to the implementation folder: exports `buildModel(): NeuralNetwork` built from the student's own layers. */
  readonly modelFile: string;
  /** Relative to the implementation folder: the weights `NeuralNetwork.toJSON()` wrote. */
  readonly weightsFile: string;
  /** Limits a model must keep; one it breaks gets a reason and 0 for the challenge only. */
  readonly caps: {
    /** Size of the weights file in bytes. */
    readonly weightsBytes: number;
    /** Trainable parameters (sum of the sizes of `network.parameters()`). */
    readonly parameters: number;
    /** Wall-clock seconds for the sandbox to build the model, load the weights and score every hidden image. */
    readonly inferenceSeconds: number;
  };
  /**
   * Points by hidden-test accuracy, ascending: reaching a threshold's accuracy earns its points (the
   * highest reached counts; between two thresholds the points are interpolated linearly, so every
   * gain of accuracy counts). Below the first: 0.
   */
  readonly thresholds: readonly { readonly accuracy: number; readonly points: number; readonly label: string }[];
}

/** How lateness costs points (grader/scoring/late-policy.ts applies it). */
export interface LatePolicySpec {
  /** Percent of the exercise's points deducted per started day late. */
  readonly percentPerDay: number;
  /** The most that lateness can deduct, in percent. */
  readonly maxPercent: number;
  /** Minutes after the due time that still count as on time. */
  readonly graceMinutes: number;
}

export interface CourseSpec {
  readonly name: string;
  readonly exercises: readonly ExerciseSpec[];
  /** Applied to exercises that have a `due` date; without one, lateness is reported but costs nothing. */
  readonly latePolicy?: LatePolicySpec;
}

const handout1 = 'docs/exercises/1-feed-forward.md';
const handout2 = 'docs/exercises/2-convolutional.md';
const handout3 = 'docs/exercises/3-regularization.md';
const handout4 = 'docs/exercises/4-recurrent.md';
const handout5 = 'docs/exercises/5-webgpu.md';
const handout6 = 'docs/exercises/6-modern.md';
const handout7 = 'docs/exercises/7-challenge.md';

export const course: CourseSpec = {
  name: 'dlkit: deep learning from scratch',
  latePolicy: { percentPerDay: 10, maxPercent: 100, graceMinutes: 15 },
  exercises: [
    {
      id: 'ex1',
      number: 1,
      title: 'Feed-forward networks',
      handout: handout1,
      publicTests: 'tests/ex1',
      hiddenTests: 'grader/hidden/ex1',
      components: [
        {
          name: 'FullyConnected',
          files: ['layers/fully-connected.ts'],
          handout: `${handout1}#fullyconnected`,
          points: 20,
          hiddenPoints: 10,
        },
        { name: 'ReLU', files: ['activations/relu.ts'], handout: `${handout1}#relu`, points: 10, hiddenPoints: 5 },
        {
          name: 'SoftMax',
          files: ['activations/softmax.ts'],
          handout: `${handout1}#softmax`,
          points: 15,
          hiddenPoints: 8,
        },
        {
          name: 'CrossEntropyLoss',
          files: ['losses/cross-entropy-loss.ts'],
          handout: `${handout1}#crossentropyloss`,
          points: 10,
          hiddenPoints: 5,
        },
        {
          name: 'SoftmaxCrossEntropyLoss',
          files: ['losses/softmax-cross-entropy-loss.ts'],
          handout: `${handout1}#softmaxcrossentropyloss`,
          points: 10,
          hiddenPoints: 5,
        },
        { name: 'Sgd', files: ['optimizers/sgd.ts'], handout: `${handout1}#sgd`, points: 10, hiddenPoints: 5 },
        {
          name: 'NeuralNetwork',
          files: ['network/neural-network.ts'],
          handout: `${handout1}#neuralnetwork`,
          points: 25,
          hiddenPoints: 12,
        },
      ],
    },
    {
      id: 'ex2',
      number: 2,
      title: 'Convolutional networks',
      handout: handout2,
      publicTests: 'tests/ex2',
      hiddenTests: 'grader/hidden/ex2',
      components: [
        {
          name: 'Constant',
          files: ['initializers/constant.ts'],
          handout: `${handout2}#initializers`,
          points: 2,
          hiddenPoints: 1,
        },
        {
          name: 'UniformRandom',
          files: ['initializers/uniform-random.ts'],
          handout: `${handout2}#initializers`,
          points: 2,
          hiddenPoints: 1,
        },
        {
          name: 'Xavier',
          files: ['initializers/xavier.ts'],
          handout: `${handout2}#initializers`,
          points: 4,
          hiddenPoints: 2,
        },
        {
          name: 'XavierUniform',
          files: ['initializers/xavier-uniform.ts'],
          handout: `${handout2}#initializers`,
          points: 2,
          hiddenPoints: 1,
        },
        { name: 'He', files: ['initializers/he.ts'], handout: `${handout2}#initializers`, points: 4, hiddenPoints: 2 },
        {
          name: 'HeUniform',
          files: ['initializers/he-uniform.ts'],
          handout: `${handout2}#initializers`,
          points: 2,
          hiddenPoints: 1,
        },
        {
          name: 'SgdMomentum',
          files: ['optimizers/sgd-momentum.ts'],
          handout: `${handout2}#sgdmomentum`,
          points: 8,
          hiddenPoints: 4,
        },
        { name: 'Adam', files: ['optimizers/adam.ts'], handout: `${handout2}#adam`, points: 10, hiddenPoints: 5 },
        { name: 'Flatten', files: ['layers/flatten.ts'], handout: `${handout2}#flatten`, points: 4, hiddenPoints: 2 },
        {
          name: 'Conv',
          files: ['layers/conv.ts', 'layers/conv2d-kernels.ts'],
          handout: `${handout2}#conv`,
          points: 35,
          hiddenPoints: 17,
        },
        { name: 'MaxPool', files: ['layers/max-pool.ts'], handout: `${handout2}#maxpool`, points: 15, hiddenPoints: 8 },
        { name: 'DigitsCNN', files: [], handout: `${handout2}#the-digits-cnn`, points: 12, hiddenPoints: 6 },
        // Extensions: their own tests and points, not needed for the exercise's goal.
        {
          name: 'Nesterov',
          files: ['optimizers/nesterov.ts'],
          handout: `${handout2}#extensions-nesterov-adagrad-rmsprop-adamw`,
          points: 2,
          hiddenPoints: 1,
        },
        {
          name: 'AdaGrad',
          files: ['optimizers/adagrad.ts'],
          handout: `${handout2}#extensions-nesterov-adagrad-rmsprop-adamw`,
          points: 2,
          hiddenPoints: 1,
        },
        {
          name: 'RMSProp',
          files: ['optimizers/rmsprop.ts'],
          handout: `${handout2}#extensions-nesterov-adagrad-rmsprop-adamw`,
          points: 2,
          hiddenPoints: 1,
        },
        {
          name: 'AdamW',
          files: ['optimizers/adamw.ts'],
          handout: `${handout2}#extensions-nesterov-adagrad-rmsprop-adamw`,
          points: 2,
          hiddenPoints: 1,
        },
        {
          name: 'ConvFastPath',
          files: ['layers/conv2d-fast.ts'],
          handout: `${handout2}#extension-a-fast-path-im2col`,
          points: 4,
          hiddenPoints: 2,
        },
      ],
    },
    {
      id: 'ex3',
      number: 3,
      title: 'Regularization',
      handout: handout3,
      publicTests: 'tests/ex3',
      hiddenTests: 'grader/hidden/ex3',
      components: [
        {
          name: 'L1Regularizer',
          files: ['regularizers/l1-regularizer.ts'],
          handout: `${handout3}#l1regularizer`,
          points: 10,
          hiddenPoints: 5,
        },
        {
          name: 'L2Regularizer',
          files: ['regularizers/l2-regularizer.ts'],
          handout: `${handout3}#l2regularizer`,
          points: 10,
          hiddenPoints: 5,
        },
        { name: 'Dropout', files: ['layers/dropout.ts'], handout: `${handout3}#dropout`, points: 15, hiddenPoints: 7 },
        {
          name: 'BatchNorm',
          files: ['layers/batch-norm.ts'],
          handout: `${handout3}#batchnorm`,
          points: 25,
          hiddenPoints: 12,
        },
        {
          name: 'Sigmoid',
          files: ['activations/sigmoid.ts'],
          handout: `${handout3}#sigmoid`,
          points: 5,
          hiddenPoints: 3,
        },
        { name: 'TanH', files: ['activations/tanh.ts'], handout: `${handout3}#tanh`, points: 5, hiddenPoints: 3 },
        {
          name: 'LeakyReLU',
          files: ['activations/leaky-relu.ts'],
          handout: `${handout3}#leakyrelu`,
          points: 5,
          hiddenPoints: 2,
        },
        { name: 'ELU', files: ['activations/elu.ts'], handout: `${handout3}#elu`, points: 5, hiddenPoints: 2 },
        { name: 'SELU', files: ['activations/selu.ts'], handout: `${handout3}#selu`, points: 5, hiddenPoints: 2 },
        {
          name: 'MeanSquaredErrorLoss',
          files: ['losses/mean-squared-error-loss.ts'],
          handout: `${handout3}#meansquarederrorloss`,
          points: 10,
          hiddenPoints: 5,
        },
        // Whole-exercise tests (LeNet-style network and phases; save and load): no files of their own.
        {
          name: 'RegularizationTraining',
          files: [],
          handout: `${handout3}#training-and-saving`,
          points: 15,
          hiddenPoints: 7,
        },
        { name: 'SaveAndLoad', files: [], handout: `${handout3}#training-and-saving`, points: 5, hiddenPoints: 3 },
      ],
    },
    {
      id: 'ex4',
      number: 4,
      title: 'Recurrent networks',
      handout: handout4,
      publicTests: 'tests/ex4',
      hiddenTests: 'grader/hidden/ex4',
      components: [
        { name: 'RNN', files: ['layers/rnn.ts'], handout: `${handout4}#rnn`, points: 30, hiddenPoints: 16 },
        { name: 'LSTM', files: ['layers/lstm.ts'], handout: `${handout4}#lstm`, points: 35, hiddenPoints: 16 },
        {
          name: 'SequenceCrossEntropyLoss',
          files: ['losses/sequence-cross-entropy-loss.ts'],
          handout: `${handout4}#sequencecrossentropyloss`,
          points: 10,
          hiddenPoints: 8,
        },
        {
          name: 'Sampling',
          files: ['sampling/sampling.ts'],
          handout: `${handout4}#sampling`,
          points: 10,
          hiddenPoints: 12,
        },
        // Extension: its own tests and points, not needed for the exercise's goal.
        { name: 'GRU', files: ['layers/gru.ts'], handout: `${handout4}#gru`, points: 15, hiddenPoints: 16 },
      ],
    },
    {
      id: 'ex5',
      number: 5,
      title: 'GPU kernels in WGSL',
      handout: handout5,
      publicTests: 'tests/ex5',
      hiddenTests: 'grader/hidden/ex5',
      components: [
        {
          name: 'ElementwiseKernels',
          files: ['kernels/relu.wgsl', 'kernels/relu-backward.wgsl', 'kernels/relu-kernels.ts'],
          handout: `${handout5}#elementwise-kernels`,
          points: 15,
          hiddenPoints: 5,
        },
        {
          name: 'MatmulKernel',
          files: ['kernels/matmul-naive.wgsl', 'kernels/matmul.ts'],
          handout: `${handout5}#matmul-naive`,
          points: 15,
          hiddenPoints: 6,
        },
        {
          name: 'TiledMatmulKernel',
          files: ['kernels/matmul-tiled.wgsl'],
          handout: `${handout5}#matmul-tiled`,
          points: 20,
          hiddenPoints: 8,
        },
        {
          name: 'SoftmaxKernel',
          files: ['kernels/softmax.wgsl', 'kernels/softmax-kernel.ts'],
          handout: `${handout5}#softmax-kernel`,
          points: 15,
          hiddenPoints: 6,
        },
        {
          name: 'Conv2dKernel',
          files: ['kernels/conv2d.wgsl', 'kernels/conv2d.ts'],
          handout: `${handout5}#conv2d-kernel`,
          points: 15,
          hiddenPoints: 7,
        },
        {
          name: 'MaxPoolKernel',
          files: ['kernels/max-pool2d.wgsl', 'kernels/max-pool2d.ts'],
          handout: `${handout5}#maxpool-kernel`,
          points: 10,
          hiddenPoints: 5,
        },
        {
          name: 'GpuTraining',
          files: ['kernels/index.ts'],
          handout: `${handout5}#training-on-the-gpu`,
          points: 10,
          hiddenPoints: 4,
        },
      ],
    },
    {
      id: 'ex6',
      number: 6,
      title: 'Modern architectures',
      handout: handout6,
      publicTests: 'tests/ex6',
      hiddenTests: 'grader/hidden/ex6',
      components: [
        // Pooling: average pooling and global average pooling.
        { name: 'AvgPool', files: ['layers/avg-pool.ts'], handout: `${handout6}#avgpool`, points: 10, hiddenPoints: 4 },
        {
          name: 'GlobalAvgPool',
          files: ['layers/global-avg-pool.ts'],
          handout: `${handout6}#globalavgpool`,
          points: 5,
          hiddenPoints: 2,
        },
        // Dilation, LayerNorm, residual blocks and the residual CNN.
        {
          name: 'DilatedConv',
          files: ['layers/dilated-kernel.ts'],
          handout: `${handout6}#dilatedconv`,
          points: 10,
          hiddenPoints: 5,
        },
        {
          name: 'LayerNorm',
          files: ['layers/layer-norm.ts'],
          handout: `${handout6}#layernorm`,
          points: 15,
          hiddenPoints: 6,
        },
        {
          name: 'ResidualBlock',
          files: ['layers/residual-block.ts'],
          handout: `${handout6}#residualblock`,
          points: 15,
          hiddenPoints: 6,
        },
        { name: 'ResidualCNN', files: [], handout: `${handout6}#the-residual-cnn`, points: 10, hiddenPoints: 5 },
        // Attention: scaled dot-product, multi-head self-attention, positional encoding, the attention model, its WGSL kernel.
        {
          name: 'ScaledDotProductAttention',
          files: ['layers/scaled-dot-product-attention.ts'],
          handout: `${handout6}#scaleddotproductattention`,
          points: 15,
          hiddenPoints: 6,
        },
        {
          name: 'MultiHeadSelfAttention',
          files: ['layers/multi-head-self-attention.ts'],
          handout: `${handout6}#multiheadselfattention`,
          points: 15,
          hiddenPoints: 6,
        },
        {
          name: 'PositionalEncoding',
          files: ['layers/positional-encoding.ts'],
          handout: `${handout6}#positionalencoding`,
          points: 5,
          hiddenPoints: 2,
        },
        { name: 'AttentionModel', files: [], handout: `${handout6}#the-attention-model`, points: 10, hiddenPoints: 5 },
        // Extension: its own tests and points, not needed for the exercise's goal.
        {
          name: 'AttentionScoresKernel',
          files: ['kernels/attention-scores.wgsl', 'kernels/attention-scores.ts'],
          handout: `${handout6}#attentionscoreskernel`,
          points: 10,
          hiddenPoints: 4,
        },
        // Learning-rate schedules and early stopping.
        {
          name: 'StepDecay',
          files: ['schedules/step-decay.ts'],
          handout: `${handout6}#stepdecay`,
          points: 5,
          hiddenPoints: 2,
        },
        {
          name: 'ExponentialDecay',
          files: ['schedules/exponential-decay.ts'],
          handout: `${handout6}#exponentialdecay`,
          points: 5,
          hiddenPoints: 2,
        },
        {
          name: 'InverseTimeDecay',
          files: ['schedules/inverse-time-decay.ts'],
          handout: `${handout6}#inversetimedecay`,
          points: 5,
          hiddenPoints: 2,
        },
        {
          name: 'LinearDecay',
          files: ['schedules/linear-decay.ts'],
          handout: `${handout6}#lineardecay`,
          points: 5,
          hiddenPoints: 2,
        },
        {
          name: 'CosineAnnealing',
          files: ['schedules/cosine-annealing.ts'],
          handout: `${handout6}#cosineannealing`,
          points: 5,
          hiddenPoints: 2,
        },
        {
          name: 'Cyclical',
          files: ['schedules/cyclical.ts'],
          handout: `${handout6}#cyclical`,
          points: 5,
          hiddenPoints: 2,
        },
        {
          name: 'EarlyStopping',
          files: ['training/early-stopping.ts'],
          handout: `${handout6}#earlystopping`,
          points: 5,
          hiddenPoints: 2,
        },
      ],
    },
    {
      id: 'ex7',
      number: 7,
      title: 'The challenge',
      handout: handout7,
      publicTests: 'tests/ex7',
      hiddenTests: 'grader/hidden/ex7',
      components: [
        // The submission's checks on the validation set: the model builds, fits the caps, loads its weights, beats chance.
        {
          name: 'ChallengeModel',
          files: ['challenge/model.ts', 'challenge/weights.json'],
          handout: `${handout7}#what-you-submit`,
          points: 10,
        },
      ],
      // Caps and thresholds' accuracies: framework/challenge/challenge-rules.ts (measured; docs/exercises/7-challenge.md).
      challenge: {
        modelFile: 'challenge/model.ts',
        weightsFile: 'challenge/weights.json',
        caps: CHALLENGE_CAPS,
        thresholds: [
          { accuracy: CHALLENGE_ACCURACY.baseline, points: 15, label: 'baseline' },
          { accuracy: CHALLENGE_ACCURACY.strong, points: 30, label: 'strong' },
        ],
      },
    },
  ],
};

/** The exercise with this id, or an error listing the ids that exist. */
export function exerciseById(id: string): ExerciseSpec {
  const exercise = course.exercises.find((e) => e.id === id);
  if (!exercise)
    throw new Error(`Unknown exercise '${id}': the course has ${course.exercises.map((e) => e.id).join(', ')}`);
  return exercise;
}

/** The exercise and component that own a file under solutions/ (or exercises/), if any. */
export function ownerOf(file: string): { exercise: ExerciseSpec; component: ComponentSpec } | undefined {
  for (const exercise of course.exercises) {
    for (const component of exercise.components) if (component.files.includes(file)) return { exercise, component };
  }
  return undefined;
}
