import { tensor } from '../tensor/create.js';
import { oneHot } from './one-hot.js';
import type { LabelledDataset } from './labelled-dataset.js';
import type { Rng } from '../random/rng.js';

/**
 * `classes` interleaved spiral arms in the plane (the CS231n toy problem): not linearly separable,
 * so a linear model fails and a hidden layer succeeds.
 */
export function spiral(options: {
  pointsPerClass: number;
  classes: number;
  noise?: number;
  rng: Rng;
}): LabelledDataset {
  const { pointsPerClass, classes, rng } = options;
  const noise = options.noise ?? 0.2;
  const features: number[] = [];
  const labels: number[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < pointsPerClass; i++) {
      const radius = i / pointsPerClass;
      const angle = c * 4 + (4 * i) / pointsPerClass + noise * rng.normal();
      features.push(radius * Math.sin(angle), radius * Math.cos(angle));
      labels.push(c);
    }
  }
  return {
    x: tensor(features, [labels.length, 2]),
    y: oneHot(labels, classes),
    labels,
    classNames: labels.length ? [...Array(classes).keys()].map(String) : [],
  };
}

/** XOR: points in [−1, 1]², class 1 where the signs of the two coordinates differ. */
export function xor(options: { points: number; rng: Rng }): LabelledDataset {
  const features: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < options.points; i++) {
    const a = options.rng.uniformIn(-1, 1);
    const b = options.rng.uniformIn(-1, 1);
    features.push(a, b);
    labels.push(a * b < 0 ? 1 : 0);
  }
  return {
    x: tensor(features, [options.points, 2]),
    y: oneHot(labels, 2),
    labels,
    classNames: ['same sign', 'different sign'],
  };
}
