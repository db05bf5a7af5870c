import { ValueError } from '../errors.js';
import { checkDataset, type Dataset } from './dataset.js';
import { selectRows } from './select.js';
import type { Rng } from '../random/rng.js';

export interface DataLoaderOptions {
  batchSize: number;
  /** Reshuffle at the start of every epoch (default true). */
  shuffle?: boolean;
  /** Required when shuffling: the order comes from it, so a seed fixes every batch. */
  rng?: Rng;
  /** Drop the last, smaller batch of an epoch (default false). */
  dropLast?: boolean;
}

/**
 * Cuts a dataset into mini-batches, epoch after epoch. `next()` never runs dry: at the end of an
 * epoch it reshuffles (seeded) and starts the next one, which is what an iteration-count training
 * loop wants; `epoch()` yields the batches of exactly one epoch.
 */
export class DataLoader {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  #order: number[] = [];
  #position = 0;
  #epoch = 0;
  readonly #rng: Rng | undefined;

  constructor(
    readonly data: Dataset,
    options: DataLoaderOptions,
  ) {
    checkDataset(data, 'DataLoader');
    const examples = data.x.shape[0];
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new ValueError(`DataLoader: batchSize must be a positive integer, got ${options.batchSize}`);
    }
    this.shuffle = options.shuffle ?? true;
    this.dropLast = options.dropLast ?? false;
    if (this.shuffle && !options.rng)
      throw new ValueError('DataLoader: shuffling needs an rng (pass { rng: new Rng(seed) })');
    if (examples === 0) throw new ValueError('DataLoader: the dataset is empty');
    this.batchSize = Math.min(options.batchSize, examples);
    this.#rng = options.rng;
    this.#startEpoch();
  }

  get examples(): number {
    return this.data.x.shape[0];
  }

  /** Epochs started so far (1 during the first). */
  get epochNumber(): number {
    return this.#epoch;
  }

  /** The next batch; wraps into a new (reshuffled) epoch when the current one is used up. */
  next(): Dataset {
    const remaining = this.examples - this.#position;
    if (remaining === 0 || (this.dropLast && remaining < this.batchSize)) this.#startEpoch();
    const indices = this.#order.slice(this.#position, this.#position + this.batchSize);
    this.#position += indices.length;
    return { x: selectRows(this.data.x, indices), y: selectRows(this.data.y, indices) };
  }

  /** The batches of one whole epoch. */
  *epoch(): Generator<Dataset> {
    this.#startEpoch();
    while (this.examples - this.#position > (this.dropLast ? this.batchSize - 1 : 0)) yield this.next();
  }

  #startEpoch(): void {
    this.#epoch++;
    this.#position = 0;
    this.#order =
      this.shuffle && this.#rng
        ? this.#rng.permutation(this.examples)
        : Array.from({ length: this.examples }, (_, i) => i);
  }
}
