import { XavierUniform } from '#impl/initializers/xavier-uniform.js';
import { componentChecks } from '../harness/index.js';
import { initializerChecks } from '../helpers/initializer-contract.js';

/**
 * Exercise 2, XavierUniform: U[−r, r), r = √(6 / (fanIn + fanOut)), i.e. √(3 / fan_avg) with
 * fan_avg = (fanIn + fanOut) / 2 (seed 003: 302–305).
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
export default componentChecks(
  'ex2',
  'XavierUniform',
  initializerChecks({
    name: 'XavierUniform',
    initializer: () => new XavierUniform(),
    distribution: 'uniform',
    spread: (fanIn, fanOut) => Math.sqrt(6 / (fanIn + fanOut)),
    formula: 'U[−r, r), r = √(6 / (fanIn + fanOut))',
    fans: 'both averaged',
    activation: 'linear',
  }),
);
