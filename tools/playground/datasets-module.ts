import { loadDigits } from '../../framework/data/digits.js';
import { loadIris } from '../../framework/data/iris.js';

/**
 * The source of the page's virtual module `playground:data`: Iris and Digits read from data/ at
 * build time (the framework's loaders use node:fs, which a browser does not have) and shipped to
 * the page as plain arrays. Digits pixels stay in 0…16 (integers: a third of the text of floats).
 */
export function datasetsModuleSource(): string {
  const iris = loadIris();
  const digits = loadDigits();
  const rounded = (values: ArrayLike<number>, factor: number) => Array.from(values, (v) => Math.round(v * factor));
  const module = {
    iris: {
      features: Array.from(iris.x.data),
      labels: iris.labels,
      classNames: iris.classNames,
      featureNames: ['sepal length', 'sepal width', 'petal length', 'petal width'],
    },
    digits: { pixels: rounded(digits.x.data, 16), labels: digits.labels, classNames: digits.classNames },
  };
  return `export const iris = ${JSON.stringify(module.iris)};\nexport const digits = ${JSON.stringify(module.digits)};\n`;
}
