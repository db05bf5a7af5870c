/**
 * `npm run challenge:evaluate`: scores the challenge model (Exercise 7) of an implementation with its
 * weights on the 2,000 validation images, the way the grader scores the hidden test set (batches of
 * 250, the argmax of each row of scores), and prints the accuracy, each class's precision, recall
 * and F1, and the confusion matrix.
 *
 *   npm run challenge:evaluate                                  the kit's reference (solutions/)
 *   DLKIT_IMPL=exercises npm run challenge:evaluate             your model and weights
 *   npm run challenge:evaluate -- --weights other.json          another weights file for the same model
 *
 * A missing weights file, the placeholder of a fresh handout, or weights that do not fit the model
 * (trained before the model changed) stop it with a message that says what to run.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  ChallengeWeightsError,
  classMetrics,
  countParameters,
  formatConfusionMatrix,
  loadChallengeWeights,
  loadFashionMnist,
  predictScores,
  withKernels,
  type KernelSet,
} from '../../framework/index.js';
import { challengeSpec, fastConvKernelsOf, loadImplementation, readWeightsFile } from './implementation.js';
import { predictedClasses } from './validation-accuracy.js';

const { values } = parseArgs({ options: { weights: { type: 'string' } } });

try {
  const implementation = await loadImplementation();
  const file = values.weights ? path.resolve(values.weights) : implementation.weightsFile;
  const where = path.relative(process.cwd(), file) || file;
  const { json, bytes } = readWeightsFile(file);
  const network = implementation.buildModel();
  loadChallengeWeights(network, json, where);
  network.eval();
  const caps = challengeSpec().caps;
  const parameters = countParameters(network);

  const validation = loadFashionMnist('validation');
  const fast = await fastConvKernelsOf(implementation);
  const start = performance.now();
  const startCpu = process.cpuUsage();
  const scores = fast
    ? withKernels(fast as KernelSet, () => predictScores(network, validation.x))
    : predictScores(network, validation.x);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(startCpu);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const predicted = predictedClasses(scores);
  const classes = validation.classNames.length;
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  validation.labels.forEach((actual, i) => {
    counts[actual][predicted[i]]++;
  });
  const correct = counts.reduce((sum, row, i) => sum + row[i], 0);
  const metrics = classMetrics(counts);

  const within = (value: number, cap: number): string => (value <= cap ? 'within' : 'OVER');
  console.log(`Challenge model of ${implementation.label}, weights ${where}`);
  console.log(
    `  parameters ${parameters.toLocaleString('en')} (${within(parameters, caps.parameters)} the cap of ${caps.parameters.toLocaleString('en')})`,
  );
  console.log(
    `  weights file ${(bytes / 1024 / 1024).toFixed(2)} MB (${within(bytes, caps.weightsBytes)} the cap of ${(caps.weightsBytes / 1024 / 1024).toFixed(0)} MB)`,
  );
  console.log(
    `  scoring ${validation.labels.length} images took ${seconds.toFixed(1)} s here, ${cpuSeconds.toFixed(1)} s of CPU time (the grader's cap for the ${validation.labels.length} hidden images: ${caps.inferenceSeconds} s)`,
  );
  console.log(
    `\nValidation accuracy: ${((correct / validation.labels.length) * 100).toFixed(2)}% (${correct} of ${validation.labels.length})`,
  );
  const thresholds = challengeSpec()
    .thresholds.map((t) => `${t.label} ${(t.accuracy * 100).toFixed(0)}%`)
    .join(', ');
  console.log(`Thresholds on the hidden test set: ${thresholds}\n`);

  const width = Math.max(...validation.classNames.map((name) => name.length));
  console.log(`${'class'.padEnd(width)}  precision  recall     F1  support`);
  validation.classNames.forEach((name, k) => {
    const cell = (value: number): string => value.toFixed(3).padStart(9);
    console.log(
      `${name.padEnd(width)}${cell(metrics.precision[k])}${cell(metrics.recall[k])}${cell(metrics.f1[k]).slice(2)}  ${String(metrics.support[k]).padStart(7)}`,
    );
  });
  console.log(
    `${'macro mean'.padEnd(width)}${metrics.macroPrecision.toFixed(3).padStart(9)}${metrics.macroRecall.toFixed(3).padStart(9)}${metrics.macroF1.toFixed(3).padStart(7)}\n`,
  );
  console.log('Confusion matrix (rows: true class, columns: predicted):');
  console.log(formatConfusionMatrix(counts, validation.classNames));
} catch (error) {
  if (!(error instanceof Error)) throw error;
  // The messages say what to do; a stack adds nothing for the expected failures.
  const expected =
    error instanceof ChallengeWeightsError ||
    /is missing|is not JSON|does not exist|must export/.test(error.message) ||
    error.name === 'NotImplementedError';
  if (!expected) throw error;
  console.error(`challenge:evaluate: ${error.message}`);
  process.exitCode = 1;
}
