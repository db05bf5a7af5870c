import { Constant } from '#impl/initializers/constant.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

export default hiddenCases('ex2', 'Constant', [
  {
    id: 'constant-hidden-random-shape-and-value',
    title: 'a random value on a random shape',
    points: 1,
    compare: { kind: 'exact' },
    run: (rng) => {
      const shape = Array.from({ length: intIn(rng, 1, 4) }, () => intIn(rng, 1, 5));
      return tensorData(new Constant(rng.uniformIn(-3, 3)).initialize(shape, intIn(rng, 1, 50), intIn(rng, 1, 50), rng.fork()), 'Constant.initialize');
    },
  },
]);
