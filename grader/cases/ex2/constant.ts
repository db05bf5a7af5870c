import { Constant } from '#impl/initializers/constant.js';
import { Rng } from '../../../framework/random/rng.js';
import { errorName, publicCases, tensorData } from '../../case-api.js';

export default publicCases('ex2', 'Constant', [
  {
    id: 'constant-fills-any-shape',
    title: 'Constant(−0.75) fills a [2, 3, 4] tensor, whatever the fans',
    compare: { kind: 'exact' },
    run: () => tensorData(new Constant(-0.75).initialize([2, 3, 4], 5, 7, new Rng(1)), 'Constant.initialize'),
  },
  {
    id: 'constant-default-value',
    title: 'the default value is 0.1 (seed 004: 3954–3955); a value that is not finite is refused',
    compare: { kind: 'exact' },
    run: () => ({
      values: tensorData(new Constant().initialize([3], 1, 1, new Rng(1)), 'Constant.initialize'),
      notFinite: errorName(() => new Constant(Number.NaN)),
    }),
  },
]);
