import { tensor } from '../tensor/create.js';
import { oneHot } from './one-hot.js';
import { parseNumericCsv, readDataFile } from './files.js';
import type { LabelledDataset } from './labelled-dataset.js';

/**
 * Fisher's Iris: 150 flowers × 4 measurements (sepal length and width, petal length and width, cm),
 * 3 species, sorted by class. Shipped as data/iris.csv (see data/README.md for licence and provenance).
 */
export function loadIris(): LabelledDataset {
  const rows = parseNumericCsv(readDataFile('iris.csv'), 'iris.csv', true);
  const features = rows.flatMap((row) => row.slice(0, 4));
  const labels = rows.map((row) => row[4]);
  return {
    x: tensor(features, [rows.length, 4]),
    y: oneHot(labels, 3),
    labels,
    classNames: ['setosa', 'versicolor', 'virginica'],
  };
}
