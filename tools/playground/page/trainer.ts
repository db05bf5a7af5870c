import { DataLoader } from '../../../framework/data/loader.js';
import { selectRows } from '../../../framework/data/select.js';
import { accuracy } from '../../../framework/metrics/accuracy.js';
import { confusionMatrix } from '../../../framework/metrics/confusion-matrix.js';
import { moveParametersTo, trainStepOnDevice } from '../../../framework/nn/train-on-device.js';
import { Rng } from '../../../framework/random/rng.js';
import { tensor } from '../../../framework/tensor/create.js';
import type { Device, Tensor } from '../../../framework/tensor/tensor.js';
import type { NeuralNetwork } from '#impl/network/neural-network.js';
import type { Problem } from './datasets.js';
import { nextFrame } from './frames.js';
import { buildNetwork, type NetworkSpec } from './network.js';

/** Training and validation figures at one moment. */
export interface Evaluation {
  readonly iteration: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly confusion: number[][];
}

/** At most this many training examples are re-evaluated for the training accuracy (Digits has 1437); fewer on WebGPU. */
const TRAIN_SAMPLE = { cpu: 300, webgpu: 100 };

/**
 * The student's network on one problem and one device. A step is the loop of `NeuralNetwork.fit`
 * (seed 000: 1033–1049): zero the gradients, forward, loss, backward through the student's layers,
 * optimizer step; on WebGPU the framework's `trainStepOnDevice` does the same with the student's
 * kernels. Everything else (evaluation, views) goes through the same network.
 */
export class Trainer {
  readonly network: NeuralNetwork;
  readonly device: Device;
  iteration = 0;
  readonly #loader: DataLoader;
  readonly #trainSample: { x: Tensor; y: Tensor };

  private constructor(
    readonly problem: Problem,
    network: NeuralNetwork,
    device: Device,
    seed: number,
    batchSize: number,
  ) {
    this.network = network;
    this.device = device;
    this.#loader = new DataLoader(problem.train, { batchSize, shuffle: true, rng: new Rng(seed + 1) });
    const count = Math.min(TRAIN_SAMPLE[device], problem.train.labels.length);
    const indices = [...Array(count).keys()];
    this.#trainSample = { x: selectRows(problem.train.x, indices), y: selectRows(problem.train.y, indices) };
  }

  static async create(problem: Problem, spec: NetworkSpec, device: Device): Promise<Trainer> {
    const network = buildNetwork(problem, spec);
    if (device !== 'cpu') await moveParametersTo(network, device);
    return new Trainer(problem, network, device, spec.seed, spec.batchSize);
  }

  /** One training iteration; returns the mini-batch loss. */
  async step(): Promise<number> {
    const batch = this.#loader.next();
    let loss: number;
    if (this.device === 'cpu') {
      const parameters = this.network.parameters();
      this.network.train();
      this.network.optimizer.zeroGrad(parameters);
      loss = this.network.computeLoss(this.network.forward(batch.x), batch.y);
      this.network.backward();
      this.network.optimizer.step(parameters);
    } else {
      this.network.train();
      loss = await trainStepOnDevice(this.network, batch, this.device);
    }
    this.iteration++;
    return loss;
  }

  /** Rows per piece when predicting many examples: a piece takes a few milliseconds, then the page draws. */
  get chunk(): number {
    return this.problem.inputShape.length > 1 ? 48 : 1024;
  }

  /** The network's class probabilities for `x` (evaluation mode), on the CPU, in pieces of `chunk` rows. */
  async predict(x: Tensor): Promise<Tensor> {
    const rows = x.shape[0];
    if (rows <= this.chunk) return this.network.predict(await x.to(this.device)).to('cpu');
    const parts: Tensor[] = [];
    for (let start = 0; start < rows; start += this.chunk) {
      const indices = Array.from({ length: Math.min(this.chunk, rows - start) }, (_, i) => start + i);
      parts.push(await this.network.predict(await selectRows(x, indices).to(this.device)).to('cpu'));
      await nextFrame();
    }
    const classes = parts[0].shape[1];
    const values = new Float64Array(rows * classes);
    let offset = 0;
    for (const part of parts) {
      values.set(part.data, offset);
      offset += part.size;
    }
    return tensor(values, [rows, classes]);
  }

  async evaluate(): Promise<Evaluation> {
    const { validation } = this.problem;
    const onTrain = await this.predict(this.#trainSample.x);
    await nextFrame();
    const onValidation = await this.predict(validation.x);
    return {
      iteration: this.iteration,
      trainLoss: this.network.loss.forward(onTrain, this.#trainSample.y),
      trainAccuracy: accuracy(onTrain, this.#trainSample.y),
      validationLoss: this.network.loss.forward(onValidation, validation.y),
      validationAccuracy: accuracy(onValidation, validation.y),
      confusion: confusionMatrix(onValidation, validation.y),
    };
  }
}
