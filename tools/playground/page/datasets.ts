import { digits, iris } from 'playground:data';
import { oneHot } from '../../../framework/data/one-hot.js';
import { trainTestSplit } from '../../../framework/data/split.js';
import { standardizer } from '../../../framework/data/standardize.js';
import { spiral, xor } from '../../../framework/data/synthetic.js';
import type { LabelledDataset } from '../../../framework/data/labelled-dataset.js';
import { Rng } from '../../../framework/random/rng.js';
import { tensor } from '../../../framework/tensor/create.js';
import type { Shape } from './components.js';

/** A data set as the page trains on it: a training and a validation split, and what the views need. */
export interface Problem {
  readonly name: string;
  readonly train: LabelledDataset;
  readonly validation: LabelledDataset;
  /** The shape of one example (without the batch axis). */
  readonly inputShape: Shape;
  readonly classNames: readonly string[];
  /** For 2-D sets: the plane the decision boundary is drawn on. */
  readonly plane?: {
    readonly xMin: number;
    readonly xMax: number;
    readonly yMin: number;
    readonly yMax: number;
    readonly axes: readonly [string, string];
  };
}

export const problemNames = ['spiral', 'xor', 'circles', 'iris', 'digits'] as const;
export type ProblemName = (typeof problemNames)[number];

export const irisFeatureNames = iris.featureNames;

/** Two rings around the origin: class 0 inside radius 0.5, class 1 between 0.7 and 1 (not linearly separable). */
function circles(points: number, rng: Rng): LabelledDataset {
  const features: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < points; i++) {
    const label = i % 2;
    const radius = label === 0 ? 0.5 * Math.sqrt(rng.uniform()) : rng.uniformIn(0.7, 1);
    const angle = rng.uniformIn(0, 2 * Math.PI);
    features.push(radius * Math.cos(angle), radius * Math.sin(angle));
    labels.push(label);
  }
  return { x: tensor(features, [points, 2]), y: oneHot(labels, 2), labels, classNames: ['inside', 'ring'] };
}

function irisTwoFeatures(first: number, second: number): LabelledDataset {
  const rows = iris.labels.length;
  const features: number[] = [];
  for (let i = 0; i < rows; i++) features.push(iris.features[i * 4 + first], iris.features[i * 4 + second]);
  return {
    x: tensor(features, [rows, 2]),
    y: oneHot(iris.labels, 3),
    labels: iris.labels,
    classNames: iris.classNames,
  };
}

function digitImages(): LabelledDataset {
  const count = digits.labels.length;
  return {
    x: tensor(
      digits.pixels.map((v) => v / 16),
      [count, 1, 8, 8],
    ),
    y: oneHot(digits.labels, 10),
    labels: digits.labels,
    classNames: digits.classNames,
  };
}

function planeOf(x: Float64Array | Float32Array, axes: readonly [string, string]): Problem['plane'] {
  let [xMin, xMax, yMin, yMax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < x.length; i += 2) {
    xMin = Math.min(xMin, x[i]);
    xMax = Math.max(xMax, x[i]);
    yMin = Math.min(yMin, x[i + 1]);
    yMax = Math.max(yMax, x[i + 1]);
  }
  const [mx, my] = [(xMax - xMin) * 0.08, (yMax - yMin) * 0.08];
  return { xMin: xMin - mx, xMax: xMax + mx, yMin: yMin - my, yMax: yMax + my, axes };
}

/** Builds a data set, split 75 / 25 (stratified, seeded), standardised where the raw scale is not ~1. */
export function makeProblem(
  name: ProblemName,
  options: { seed: number; irisFeatures: readonly [number, number] },
): Problem {
  const rng = new Rng(options.seed);
  if (name === 'digits') {
    const { train, test } = trainTestSplit(digitImages(), { rng, testFraction: 0.2 });
    return { name, train, validation: test, inputShape: [1, 8, 8], classNames: digits.classNames };
  }
  const [first, second] = options.irisFeatures;
  const data =
    name === 'spiral'
      ? spiral({ pointsPerClass: 100, classes: 3, rng })
      : name === 'xor'
        ? xor({ points: 300, rng })
        : name === 'circles'
          ? circles(300, rng)
          : irisTwoFeatures(first, second);
  let { train, test } = trainTestSplit(data, { rng, testFraction: 0.25 });
  if (name === 'iris') {
    const normalize = standardizer(train.x);
    train = { ...train, x: normalize(train.x) };
    test = { ...test, x: normalize(test.x) };
  }
  const axes: readonly [string, string] =
    name === 'iris'
      ? [`${iris.featureNames[first]} (standardised)`, `${iris.featureNames[second]} (standardised)`]
      : ['x₁', 'x₂'];
  const all = new Float64Array([...train.x.data, ...test.x.data]);
  return { name, train, validation: test, inputShape: [2], classNames: data.classNames, plane: planeOf(all, axes) };
}
