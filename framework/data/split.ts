import { ValueError } from '../errors.js';
import { selectRows } from './select.js';
import type { LabelledDataset } from './labelled-dataset.js';
import type { Rng } from '../random/rng.js';

export interface SplitOptions {
  /** Fraction of every class held out for testing (default 1/3). */
  testFraction?: number;
  rng: Rng;
}

/**
 * A seeded, stratified train/test split: each class contributes the same fraction to the test set,
 * so a sorted file like Iris cannot end up with a class missing from one side.
 */
export function trainTestSplit(
  data: LabelledDataset,
  options: SplitOptions,
): { train: LabelledDataset; test: LabelledDataset } {
  const fraction = options.testFraction ?? 1 / 3;
  if (!(fraction > 0 && fraction < 1))
    throw new ValueError(`trainTestSplit: testFraction must be in (0, 1), got ${fraction}`);
  const byClass = new Map<number, number[]>();
  data.labels.forEach((label, index) => {
    byClass.set(label, [...(byClass.get(label) ?? []), index]);
  });
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(label) ?? [];
    const order = options.rng.permutation(members.length).map((i) => members[i]);
    const held = Math.round(members.length * fraction);
    test.push(...order.slice(0, held));
    train.push(...order.slice(held));
  }
  const subset = (indices: number[]): LabelledDataset => ({
    x: selectRows(data.x, indices),
    y: selectRows(data.y, indices),
    labels: indices.map((i) => data.labels[i]),
    classNames: data.classNames,
  });
  return { train: subset(train), test: subset(test) };
}
