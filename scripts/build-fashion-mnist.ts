/**
 * Rebuilds the kit's Fashion-MNIST subset (Exercise 7, the challenge) from Debian's
 * `dataset-fashion-mnist` package, byte for byte:
 *
 *   apt-get install dataset-fashion-mnist          (puts the four original files in /usr/share/datasets/fashion-mnist)
 *   npx tsx scripts/build-fashion-mnist.ts [--from <folder>] [--check]
 *
 * The selection is fixed by a seed and balanced by class:
 *   training    10,000 images, 1,000 per class, from the original train split (60,000)
 *   validation   2,000 images,   200 per class, from the original train split, disjoint from training
 *   test         2,000 images,   200 per class, from the original t10k split (hidden: grader only)
 * Each class's examples of a split are shuffled with the kit's Rng (seed below) and the first ones taken;
 * the chosen examples of a split are then shuffled again, so any prefix mixes the classes.
 * Output is IDX (the original format), gzip-compressed by fflate at level 9 with mtime 0, so the same
 * input gives the same bytes on every machine. `--check` writes nothing and compares with the files
 * in the repository (and data/SHA256SUMS, grader/challenge/data/SHA256SUMS).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'fflate';
import { Rng, parseIdxImages, parseIdxLabels } from '../framework/index.js';
import type { IdxImages } from '../framework/data/fashion-mnist.js';

const SEED = 13; // Issue 13 built the challenge; any fixed number would do, but changing it changes every file.
const CLASSES = 10;
const TRAIN_PER_CLASS = 1000;
const VALIDATION_PER_CLASS = 200;
const TEST_PER_CLASS = 200;

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
    check: { type: 'boolean', default: false },
  },
});
const kit = fileURLToPath(new URL('../', import.meta.url));

interface Split {
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly rows: number;
  readonly columns: number;
}

function readOriginal(prefix: 'train' | 't10k'): Split {
  const source = values.from as string;
  let images: IdxImages;
  let labels: Uint8Array;
  try {
    images = parseIdxImages(new Uint8Array(readFileSync(path.join(source, `${prefix}-images-idx3-ubyte.gz`))));
    labels = parseIdxLabels(new Uint8Array(readFileSync(path.join(source, `${prefix}-labels-idx1-ubyte.gz`))));
  } catch (error) {
    console.error(
      `build-fashion-mnist: cannot read the original ${prefix} files in ${source}: ${(error as Error).message}`,
    );
    console.error(
      'Install them with `apt-get install dataset-fashion-mnist`, or pass --from <folder with the four .gz files>.',
    );
    process.exit(1);
  }
  if (labels.length !== images.count) throw new Error(`${prefix}: ${images.count} images but ${labels.length} labels`);
  return { pixels: images.pixels, labels, rows: images.rows, columns: images.columns };
}

/** Each class's indices in a seeded shuffled order. */
function shuffledByClass(labels: Uint8Array, rng: Rng): number[][] {
  const byClass: number[][] = Array.from({ length: CLASSES }, () => []);
  labels.forEach((label, index) => {
    byClass[label].push(index);
  });
  return byClass.map((indices) => rng.permutation(indices.length).map((i) => indices[i]));
}

function shuffled(indices: readonly number[], rng: Rng): number[] {
  return rng.permutation(indices.length).map((i) => indices[i]);
}

function idxImages(split: Split, indices: readonly number[]): Uint8Array {
  const size = split.rows * split.columns;
  const out = new Uint8Array(16 + indices.length * size);
  const view = new DataView(out.buffer);
  [0x803, indices.length, split.rows, split.columns].forEach((word, i) => {
    view.setUint32(i * 4, word, false);
  });
  indices.forEach((index, i) => {
    out.set(split.pixels.subarray(index * size, (index + 1) * size), 16 + i * size);
  });
  return out;
}

function idxLabels(split: Split, indices: readonly number[]): Uint8Array {
  const out = new Uint8Array(8 + indices.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x801, false);
  view.setUint32(4, indices.length, false);
  indices.forEach((index, i) => {
    out[8 + i] = split.labels[index];
  });
  return out;
}

const rng = new Rng(SEED);
const train = readOriginal('train');
const t10k = readOriginal('t10k');

const trainByClass = shuffledByClass(train.labels, rng);
const trainIndices = shuffled(
  trainByClass.flatMap((indices) => indices.slice(0, TRAIN_PER_CLASS)),
  rng,
);
const validationIndices = shuffled(
  trainByClass.flatMap((indices) => indices.slice(TRAIN_PER_CLASS, TRAIN_PER_CLASS + VALIDATION_PER_CLASS)),
  rng,
);
const testIndices = shuffled(
  shuffledByClass(t10k.labels, rng).flatMap((indices) => indices.slice(0, TEST_PER_CLASS)),
  rng,
);

const outputs: { folder: string; name: string; bytes: Uint8Array }[] = [
  { folder: 'data/fashion-mnist', name: 'train-images-idx3-ubyte.gz', bytes: idxImages(train, trainIndices) },
  { folder: 'data/fashion-mnist', name: 'train-labels-idx1-ubyte.gz', bytes: idxLabels(train, trainIndices) },
  { folder: 'data/fashion-mnist', name: 'validation-images-idx3-ubyte.gz', bytes: idxImages(train, validationIndices) },
  { folder: 'data/fashion-mnist', name: 'validation-labels-idx1-ubyte.gz', bytes: idxLabels(train, validationIndices) },
  { folder: 'grader/challenge/data', name: 'test-images-idx3-ubyte.gz', bytes: idxImages(t10k, testIndices) },
  { folder: 'grader/challenge/data', name: 'test-labels-idx1-ubyte.gz', bytes: idxLabels(t10k, testIndices) },
];

let mismatches = 0;
for (const { folder, name, bytes } of outputs) {
  const gzipped = gzipSync(bytes, { level: 9, mtime: 0 });
  const digest = createHash('sha256').update(gzipped).digest('hex');
  const file = path.join(kit, folder, name);
  if (values.check) {
    let current: Buffer | undefined;
    try {
      current = readFileSync(file);
    } catch {
      current = undefined;
    }
    const same = current !== undefined && Buffer.compare(current, Buffer.from(gzipped)) === 0;
    if (!same) mismatches++;
    console.log(`${same ? 'same     ' : 'DIFFERENT'} ${folder}/${name}  ${digest}`);
  } else {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, gzipped);
    console.log(`wrote ${folder}/${name}  ${gzipped.length} bytes  ${digest}`);
  }
}
if (values.check && mismatches > 0) {
  console.error(`build-fashion-mnist: ${mismatches} file(s) differ from the rebuild`);
  process.exit(1);
}
