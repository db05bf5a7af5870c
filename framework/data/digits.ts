import { tensor } from '../tensor/create.js';
import { oneHot } from './one-hot.js';
import { parseNumericCsv, readDataFile } from './files.js';
import type { LabelledDataset } from './labelled-dataset.js';

export interface DigitsOptions {
  /** 'flat' gives x [n, 64]; 'image' gives x [n, 1, 8, 8] for convolutional networks. */
  layout?: 'flat' | 'image';
}

/**
 * UCI optical digits: 1797 handwritten digits as 8×8 images, pixels scaled from 0…16 to [0, 1],
 * labels 0–9. Shipped as data/digits.csv.gz (see data/README.md for licence and provenance).
 */
export function loadDigits(options: DigitsOptions = {}): LabelledDataset {
  const rows = parseNumericCsv(readDataFile('digits.csv.gz'), 'digits.csv.gz', false);
  const pixels = rows.flatMap((row) => row.slice(0, 64).map((value) => value / 16));
  const labels = rows.map((row) => row[64]);
  const shape = options.layout === 'image' ? [rows.length, 1, 8, 8] : [rows.length, 64];
  return {
    x: tensor(pixels, shape),
    y: oneHot(labels, 10),
    labels,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  };
}
