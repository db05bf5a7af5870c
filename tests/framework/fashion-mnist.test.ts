import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  FASHION_CLASS_NAMES,
  fashionImagesTensor,
  loadFashionMnist,
  parseIdxImages,
  parseIdxLabels,
  ShapeError,
  ValueError,
} from '../../framework/index.js';

/** A tiny IDX image file: `count` images of rows×columns with pixel i = i mod 256. */
function idxImages(count: number, rows: number, columns: number, magic = 0x803): Uint8Array {
  const bytes = new Uint8Array(16 + count * rows * columns);
  const view = new DataView(bytes.buffer);
  [magic, count, rows, columns].forEach((word, i) => {
    view.setUint32(i * 4, word, false);
  });
  for (let i = 16; i < bytes.length; i++) bytes[i] = (i - 16) % 256;
  return bytes;
}

function idxLabels(labels: number[], magic = 0x801): Uint8Array {
  const bytes = new Uint8Array(8 + labels.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic, false);
  view.setUint32(4, labels.length, false);
  bytes.set(labels, 8);
  return bytes;
}

describe('framework Fashion-MNIST loader', () => {
  it('parses IDX images and labels, plain or gzip-compressed, to the same bytes', () => {
    const images = idxImages(3, 2, 4);
    const plain = parseIdxImages(images);
    expect({ count: plain.count, rows: plain.rows, columns: plain.columns }).toEqual({ count: 3, rows: 2, columns: 4 });
    expect(Array.from(plain.pixels)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(parseIdxImages(new Uint8Array(gzipSync(images)))).toEqual(plain);
    expect(Array.from(parseIdxLabels(idxLabels([9, 0, 4])))).toEqual([9, 0, 4]);
    expect(Array.from(parseIdxLabels(new Uint8Array(gzipSync(idxLabels([1, 2])))))).toEqual([1, 2]);
  });

  it('refuses a wrong magic number, a short header and a size that disagrees with the header, saying which', () => {
    expect(() => parseIdxImages(idxLabels([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(ValueError);
    expect(() => parseIdxImages(idxLabels([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(
      /magic number 0x00000801 is not 0x00000803/,
    );
    expect(() => parseIdxLabels(idxImages(1, 1, 1))).toThrow(/magic number 0x00000803 is not 0x00000801/);
    expect(() => parseIdxImages(new Uint8Array(10))).toThrow(/10 bytes are too few for the 16-byte IDX header/);
    expect(() => parseIdxImages(idxImages(3, 2, 4).subarray(0, 30))).toThrow(
      /announces 3 images of 2×4 \(40 bytes with the header\), but the file has 30 bytes/,
    );
    expect(() => parseIdxLabels(idxLabels([1, 2, 3]).subarray(0, 10))).toThrow(
      /announces 3 labels \(11 bytes with the header\), but the file has 10 bytes/,
    );
  });

  it('turns pixels into [n, 1, 28, 28] in [0, 1] (255 → 1, 51 → 0.2) and refuses a pixel count that is not whole images', () => {
    const pixels = new Uint8Array(2 * 784);
    pixels[0] = 255;
    pixels[784 + 29] = 51;
    const x = fashionImagesTensor(pixels, 2);
    expect(x.shape).toEqual([2, 1, 28, 28]);
    expect(x.get(0, 0, 0, 0)).toBe(1);
    expect(x.get(1, 0, 1, 1)).toBeCloseTo(0.2, 15);
    expect(() => fashionImagesTensor(new Uint8Array(700), 1)).toThrow(ShapeError);
  });

  it('loads the shipped splits: 10,000 training and 2,000 validation images, balanced over the ten classes, disjoint', () => {
    const validation = loadFashionMnist('validation');
    expect(validation.x.shape).toEqual([2000, 1, 28, 28]);
    expect(validation.y.shape).toEqual([2000, 10]);
    expect(validation.classNames).toEqual(FASHION_CLASS_NAMES);
    expect(FASHION_CLASS_NAMES[0]).toBe('T-shirt/top');
    expect(FASHION_CLASS_NAMES[9]).toBe('Ankle boot');
    const counts = Array.from({ length: 10 }, (_, c) => validation.labels.filter((label) => label === c).length);
    expect(counts).toEqual(Array(10).fill(200));
    let max = 0;
    for (const value of validation.x.data) max = Math.max(max, value);
    expect(max).toBe(1);
    const train = loadFashionMnist('train');
    expect(train.x.shape).toEqual([10000, 1, 28, 28]);
    expect(new Set(train.labels).size).toBe(10);
    // Disjoint: no validation image is also a training image (compared by their raw pixel bytes).
    const raw = (split: string) =>
      parseIdxImages(
        new Uint8Array(
          readFileSync(new URL(`../../data/fashion-mnist/${split}-images-idx3-ubyte.gz`, import.meta.url)),
        ),
      );
    const keys = (pixels: Uint8Array, count: number) =>
      Array.from({ length: count }, (_, i) => Buffer.from(pixels.subarray(i * 784, (i + 1) * 784)).toString('latin1'));
    const trainKeys = new Set(keys(raw('train').pixels, 10000));
    const shared = keys(raw('validation').pixels, 2000).filter((k) => trainKeys.has(k));
    expect(shared.length, 'validation images that are also training images').toBe(0);
  });

  it('keeps the first `limit` examples, mixing classes, and refuses a bad split or limit', () => {
    const small = loadFashionMnist('validation', { limit: 50 });
    expect(small.x.shape).toEqual([50, 1, 28, 28]);
    expect(small.labels).toEqual(loadFashionMnist('validation').labels.slice(0, 50));
    expect(new Set(small.labels).size).toBeGreaterThan(5);
    expect(() => loadFashionMnist('test' as 'train')).toThrow(
      /split must be 'train' or 'validation', got 'test' \(the test split is hidden/,
    );
    expect(() => loadFashionMnist('train', { limit: 0 })).toThrow(/limit must be a positive integer, got 0/);
  });

  it('ships the files whose SHA-256 data/SHA256SUMS records', async () => {
    const { createHash } = await import('node:crypto');
    const sums = readFileSync(new URL('../../data/SHA256SUMS', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.includes('fashion-mnist/'))
      .map((line) => line.split(/\s+/));
    expect(sums.map(([, name]) => name).sort()).toEqual(
      [
        'train-images-idx3-ubyte.gz',
        'train-labels-idx1-ubyte.gz',
        'validation-images-idx3-ubyte.gz',
        'validation-labels-idx1-ubyte.gz',
      ].map((n) => `fashion-mnist/${n}`),
    );
    for (const [digest, name] of sums) {
      const actual = createHash('sha256')
        .update(readFileSync(new URL(`../../data/${name}`, import.meta.url)))
        .digest('hex');
      expect(actual, `SHA-256 of data/${name}`).toBe(digest);
    }
  });
});
