import type { Dataset } from './dataset.js';

/** A classification dataset as shipped: features, one-hot targets, and the integer labels. */
export interface LabelledDataset extends Dataset {
  readonly labels: readonly number[];
  readonly classNames: readonly string[];
}
