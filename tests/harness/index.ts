/** Everything a component's test file needs to write its checks (see checks.ts). */
export {
  badInput,
  componentChecks,
  gradient,
  hiddenChecks,
  knownValue,
  property,
  training,
  type Check,
  type ComponentChecks,
} from './checks.js';
export {
  gradientData,
  intIn,
  labelsOf,
  layerGradients,
  lossGradients,
  numberData,
  parameterData,
  sampleStatistics,
  tensorData,
  thrown,
  type ErrorData,
  type GradientData,
  type SampleStatistics,
  type TensorData,
} from './data.js';
export { drawSamples, finite, matrix } from './samples.js';
export {
  accuracyOf,
  closeEnough,
  expectClose,
  expectError,
  expectFinite,
  expectGradientsMatch,
  fail,
} from './verify.js';
