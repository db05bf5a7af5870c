import { ValueError } from '../errors.js';
import { checkDataset, type Dataset } from '../data/dataset.js';
import type { Network } from './network.js';

/**
 * What `fitEpochs` asks after every epoch (Exercise 6's EarlyStopping implements it): `update` takes
 * the epoch's validation loss and says whether to stop; `improved` says whether that epoch is the new
 * best (its weights are kept); `bestEpoch` is the best epoch so far (0-based).
 */
export interface EarlyStoppingRule {
  update(validationLoss: number): boolean;
  readonly improved: boolean;
  readonly bestEpoch: number;
}

export interface FitEpochsOptions {
  data: Dataset;
  /** Held-out examples: their loss (the data loss, no regularization, in eval mode) decides. */
  validation: Dataset;
  /** The most epochs to train. */
  epochs: number;
  batchSize: number;
  earlyStopping?: EarlyStoppingRule;
  /** Load the weights of the best epoch at the end (default true; needs `earlyStopping`). */
  restoreBest?: boolean;
  onEpoch?: (epoch: number, trainLoss: number, validationLoss: number) => void;
}

export interface FitEpochsResult {
  /** Mean training loss of each epoch that ran. */
  readonly trainLoss: number[];
  readonly validationLoss: number[];
  /** Epochs that ran (fewer than `epochs` when early stopping stopped them). */
  readonly epochsRun: number;
  /** The best epoch by the early-stopping rule, or the last epoch without one. */
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
}

/**
 * Trains `network` epoch by epoch (given code, Exercise 6): each epoch is one pass over `data`
 * through the network's own `fit` (⌈n / batchSize⌉ mini-batches, reshuffled), then the validation loss
 * is computed with `predict` and handed to `earlyStopping.update`. When that epoch improved, the
 * weights are kept (`toJSON`); when the rule says stop, the loop ends and (with `restoreBest`) the kept
 * weights are loaded back (`fromJSON`), as 004: 3599 asks: "Use parameters with minimum validation loss".
 * NeuralNetwork.fit (Exercise 1) is unchanged: it only ever runs a given number of iterations.
 */
export function fitEpochs(network: Network, options: FitEpochsOptions): FitEpochsResult {
  checkDataset(options.data, 'fitEpochs (data)');
  checkDataset(options.validation, 'fitEpochs (validation)');
  if (!Number.isInteger(options.epochs) || options.epochs < 1)
    throw new ValueError(`fitEpochs: epochs must be a positive integer, got ${options.epochs}`);
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
    throw new ValueError(`fitEpochs: batchSize must be a positive integer, got ${options.batchSize}`);
  const iterations = Math.ceil(options.data.x.shape[0] / options.batchSize);
  const rule = options.earlyStopping;
  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  let best: unknown;
  let stoppedEarly = false;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const losses = network.fit({ data: options.data, iterations, batchSize: options.batchSize });
    trainLoss.push(losses.reduce((sum, loss) => sum + loss, 0) / losses.length);
    validationLoss.push(network.loss.forward(network.predict(options.validation.x), options.validation.y));
    options.onEpoch?.(epoch, trainLoss[epoch], validationLoss[epoch]);
    if (!rule) continue;
    const stop = rule.update(validationLoss[epoch]);
    if (rule.improved) best = network.toJSON();
    if (stop) {
      stoppedEarly = epoch < options.epochs - 1;
      break;
    }
  }
  if (rule && (options.restoreBest ?? true) && best !== undefined) network.fromJSON(best);
  return {
    trainLoss,
    validationLoss,
    epochsRun: trainLoss.length,
    bestEpoch: rule ? rule.bestEpoch : trainLoss.length - 1,
    stoppedEarly,
  };
}
