import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { course, type ChallengeSpec, type ExerciseSpec } from '../../course/course.js';
import type { HiddenTestSet } from '../../grader/challenge/hidden-test-set.js';
import { challengeExercise } from '../../grader/challenge/unscored-challenge.js';
import { kitRoot } from './helpers.js';

/**
 * A tiny challenge for the grader's tests, small enough to score in a fraction of a second: 20 hidden
 * "images" of 28×28 where image i of class k = i mod 10 lights pixel k (value 255), except every fourth
 * image (i mod 4 = 3), which lights pixel (k + 1) mod 10 instead. The model is Flatten → FullyConnected
 * (784 → 10) with W[p][k] = 1 when p = k (else 0) and no bias: it predicts the lit pixel's class, so it
 * gets exactly 15 of 20 right (accuracy 0.75), and each wrong one is class k taken for k + 1.
 */
export const FIXTURE_IMAGES = 20;
export const FIXTURE_ACCURACY = 0.75;
const SIDE = 28;

export function fixtureLabels(): Uint8Array {
  return Uint8Array.from({ length: FIXTURE_IMAGES }, (_, i) => i % 10);
}

/** The pixel image i lights. */
export function litPixel(i: number): number {
  return i % 4 === 3 ? ((i % 10) + 1) % 10 : i % 10;
}

/** IDX3 (magic 0x00000803, count, rows, columns, pixels), gzip-compressed as the committed files are. */
export function idxImagesGzip(count: number, pixelOf: (i: number) => number): Uint8Array {
  const bytes = new Uint8Array(16 + count * SIDE * SIDE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x00000803);
  view.setUint32(4, count);
  view.setUint32(8, SIDE);
  view.setUint32(12, SIDE);
  for (let i = 0; i < count; i++) bytes[16 + i * SIDE * SIDE + pixelOf(i)] = 255;
  return gzipSync(bytes);
}

export function fixtureHiddenSet(): HiddenTestSet {
  return {
    imagesGzip: idxImagesGzip(FIXTURE_IMAGES, litPixel),
    labels: fixtureLabels(),
    classNames: Array.from({ length: 10 }, (_, k) => `class ${k}`),
  };
}

/** A submission's challenge/model.ts (text: it is bundled from memory like a student's file). */
export function fixtureModel(lastLayer = 'new FullyConnected(28 * 28, 10, { rng })', extra = ''): string {
  return `import { Rng } from '../../framework/random/rng.js';
import { Flatten } from '../layers/flatten.js';
import { FullyConnected } from '../layers/fully-connected.js';
import { SoftmaxCrossEntropyLoss } from '../losses/softmax-cross-entropy-loss.js';
import { NeuralNetwork } from '../network/neural-network.js';
import { Sgd } from '../optimizers/sgd.js';
${extra}
export function buildModel(): NeuralNetwork {
  const rng = new Rng(1);
  const network = new NeuralNetwork({ rng, loss: new SoftmaxCrossEntropyLoss(), optimizer: new Sgd({ lr: 0.1 }) });
  network.append(new Flatten());
  network.append(${lastLayer});
  return network;
}
`;
}

/** The fixture model's weights file: W = [I₁₀ ; 0] (pixel k → class k), bias 0, as `JSON.stringify(network.toJSON())` writes it. */
export function fixtureWeights(outFeatures = 10): string {
  const weight = new Array<number>(SIDE * SIDE * outFeatures).fill(0);
  for (let k = 0; k < outFeatures; k++) weight[k * outFeatures + k] = 1;
  return JSON.stringify({
    format: 'dlkit-weights',
    version: 1,
    layers: [
      { name: 'Flatten', parameters: {}, buffers: {} },
      {
        name: 'FullyConnected',
        parameters: {
          weight: { shape: [SIDE * SIDE, outFeatures], data: weight },
          bias: { shape: [outFeatures], data: new Array<number>(outFeatures).fill(0) },
        },
        buffers: {},
      },
    ],
  });
}

/** `weights` with a parameterless layer `name` inserted at `index` (for fixture models with a layer of their own). */
export function withLayer(weights: string, index: number, name: string): string {
  const json = JSON.parse(weights) as { layers: unknown[] };
  json.layers.splice(index, 0, { name, parameters: {}, buffers: {} });
  return JSON.stringify(json);
}

/** Every owned file of the course from solutions/ (the reference layers), with the given challenge files. */
export function fixtureFiles(model: string | undefined, weights: string | undefined): Map<string, string> {
  const files = new Map<string, string>();
  const ex7 = challengeSpecExercise();
  for (const exercise of course.exercises) {
    for (const component of exercise.components) {
      for (const file of component.files) {
        if (file === ex7.challenge.modelFile || file === ex7.challenge.weightsFile || !file.endsWith('.ts')) continue;
        files.set(file, readFileSync(path.join(kitRoot, 'solutions', file), 'utf8'));
      }
    }
  }
  if (model !== undefined) files.set(ex7.challenge.modelFile, model);
  if (weights !== undefined) files.set(ex7.challenge.weightsFile, weights);
  return files;
}

/** The course's challenge exercise, optionally with other caps or thresholds. */
export function challengeSpecExercise(
  changes: Partial<ChallengeSpec> = {},
): ExerciseSpec & { readonly challenge: ChallengeSpec } {
  const exercise = course.exercises.map(challengeExercise).find((e) => e !== undefined);
  if (!exercise) throw new Error('course/course.ts has no challenge exercise');
  return { ...exercise, challenge: { ...exercise.challenge, ...changes } };
}
