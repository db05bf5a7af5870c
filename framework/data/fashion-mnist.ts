import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DlkitError, ShapeError, ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { dataDirectory } from './files.js';
import type { LabelledDataset } from './labelled-dataset.js';
import { oneHot } from './one-hot.js';

/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, Zalando Research, MIT licence): 28×28 greyscale photos of
 * clothing in 10 classes, the data set of Exercise 7 (the challenge). The kit ships a fixed subset in
 * the original IDX format, gzip-compressed, under data/fashion-mnist/ (10,000 training and 2,000
 * validation images, both from the original training split; data/README.md says how they were chosen).
 * The hidden test set (2,000 images of the original t10k split) ships only with the grader.
 *
 * IDX (LeCun's MNIST format): a big-endian header, then the bytes.
 *   images: magic 0x00000803, count, rows, columns (four uint32), then count·rows·columns pixels 0…255
 *   labels: magic 0x00000801, count (two uint32), then count labels 0…9
 */

/** The ten classes by label, in the original data set's order. */
export const FASHION_CLASS_NAMES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** The side of a Fashion-MNIST image in pixels. */
export const FASHION_IMAGE_SIDE = 28;

const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;
const IMAGES_HEADER_BYTES = 16;
const LABELS_HEADER_BYTES = 8;

/** The decoded images of an IDX file: `pixels` holds `count` images of `rows`×`columns` bytes, row-major. */
export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly columns: number;
  readonly pixels: Uint8Array;
}

/** gzip streams start with 0x1f 0x8b; IDX files start with two zero bytes, so the two never mix up. */
function gunzipIfNeeded(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return new Uint8Array(gunzipSync(bytes));
  return bytes;
}

function header(bytes: Uint8Array, words: number, what: string): number[] {
  if (bytes.length < words * 4) {
    throw new ShapeError(`${what}: ${bytes.length} bytes are too few for the ${words * 4}-byte IDX header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: words }, (_, i) => view.getUint32(i * 4, false));
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/** Parses an IDX image file (gzip-compressed or not). Bad magic or a size that disagrees with the header is an error. */
export function parseIdxImages(bytes: Uint8Array): IdxImages {
  const data = gunzipIfNeeded(bytes);
  const [magic, count, rows, columns] = header(data, 4, 'parseIdxImages');
  if (magic !== IMAGES_MAGIC) {
    throw new ValueError(
      `parseIdxImages: magic number ${hex(magic)} is not ${hex(IMAGES_MAGIC)} (unsigned bytes, 3 dimensions): is this an IDX image file (a labels file starts with ${hex(LABELS_MAGIC)})?`,
    );
  }
  const expected = IMAGES_HEADER_BYTES + count * rows * columns;
  if (data.length !== expected) {
    throw new ShapeError(
      `parseIdxImages: the header announces ${count} images of ${rows}×${columns} (${expected} bytes with the header), but the file has ${data.length} bytes`,
    );
  }
  return { count, rows, columns, pixels: data.slice(IMAGES_HEADER_BYTES) };
}

/** Parses an IDX label file (gzip-compressed or not) into one byte per example. */
export function parseIdxLabels(bytes: Uint8Array): Uint8Array {
  const data = gunzipIfNeeded(bytes);
  const [magic, count] = header(data, 2, 'parseIdxLabels');
  if (magic !== LABELS_MAGIC) {
    throw new ValueError(
      `parseIdxLabels: magic number ${hex(magic)} is not ${hex(LABELS_MAGIC)} (unsigned bytes, 1 dimension): is this an IDX label file (an images file starts with ${hex(IMAGES_MAGIC)})?`,
    );
  }
  if (data.length !== LABELS_HEADER_BYTES + count) {
    throw new ShapeError(
      `parseIdxLabels: the header announces ${count} labels (${LABELS_HEADER_BYTES + count} bytes with the header), but the file has ${data.length} bytes`,
    );
  }
  return data.slice(LABELS_HEADER_BYTES);
}

/** `count` 28×28 images as a float64 tensor [count, 1, 28, 28] with pixels scaled from 0…255 to [0, 1]. */
export function fashionImagesTensor(pixels: Uint8Array, count: number): Tensor {
  const perImage = FASHION_IMAGE_SIDE * FASHION_IMAGE_SIDE;
  if (!Number.isInteger(count) || count < 0 || pixels.length !== count * perImage) {
    throw new ShapeError(
      `fashionImagesTensor: ${pixels.length} pixels are not ${count} images of ${FASHION_IMAGE_SIDE}×${FASHION_IMAGE_SIDE} (${count * perImage} pixels)`,
    );
  }
  const values = new Float64Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) values[i] = pixels[i] / 255;
  return new Tensor([count, 1, FASHION_IMAGE_SIDE, FASHION_IMAGE_SIDE], values);
}

/** The shipped splits: both drawn from the original training split, disjoint (data/README.md). */
export type FashionSplit = 'train' | 'validation';

export interface FashionMnistOptions {
  /** Keep only the first `limit` examples (a quick look, a test); default all. */
  limit?: number;
}

function readShipped(name: string): Uint8Array {
  const path = `${dataDirectory}fashion-mnist/${name}`;
  if (!existsSync(path)) {
    throw new DlkitError(
      `Data file 'fashion-mnist/${name}' is missing from ${dataDirectory}: restore the kit's data/ folder (git checkout data/)`,
    );
  }
  return new Uint8Array(readFileSync(path));
}

/**
 * The shipped Fashion-MNIST subset of one split: `x` [n, 1, 28, 28] in [0, 1], `y` one-hot [n, 10],
 * `labels` 0…9 and `classNames` (FASHION_CLASS_NAMES). Training: 10,000 examples; validation: 2,000.
 */
export function loadFashionMnist(split: FashionSplit, options: FashionMnistOptions = {}): LabelledDataset {
  if (split !== 'train' && split !== 'validation') {
    throw new ValueError(
      `loadFashionMnist: split must be 'train' or 'validation', got '${String(split)}' (the test split is hidden: only the grader has it)`,
    );
  }
  const images = parseIdxImages(readShipped(`${split}-images-idx3-ubyte.gz`));
  const labels = parseIdxLabels(readShipped(`${split}-labels-idx1-ubyte.gz`));
  if (images.rows !== FASHION_IMAGE_SIDE || images.columns !== FASHION_IMAGE_SIDE || labels.length !== images.count) {
    throw new ShapeError(
      `loadFashionMnist('${split}'): expected ${labels.length} images of 28×28, found ${images.count} of ${images.rows}×${images.columns}: restore data/fashion-mnist/ (git checkout data/)`,
    );
  }
  const limit = options.limit ?? images.count;
  if (!Number.isInteger(limit) || limit < 1)
    throw new ValueError(`loadFashionMnist: limit must be a positive integer, got ${limit}`);
  const count = Math.min(limit, images.count);
  const kept = Array.from(labels.subarray(0, count));
  return {
    x: fashionImagesTensor(images.pixels.subarray(0, count * FASHION_IMAGE_SIDE * FASHION_IMAGE_SIDE), count),
    y: oneHot(kept, FASHION_CLASS_NAMES.length),
    labels: kept,
    classNames: FASHION_CLASS_NAMES,
  };
}
