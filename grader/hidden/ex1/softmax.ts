import { SoftMax } from '#impl/activations/softmax.js';
import { tensor } from '../../../framework/tensor/create.js';
import { hiddenChecks, intIn, knownValue, tensorData } from '../../../tests/harness/index.js';

/**
 * Hidden-only checks of ex1 SoftMax: never handed out, shown to students by title and result only.
 * Written like the public checks (tests/ex1/softmax.test.ts) but without `verify`: the grader compares
 * the data with the reference solution's on the run's seed.
 */
export default hiddenChecks('ex1', 'SoftMax', [
  knownValue({
    title: 'rows that mix huge, tiny and equal logits, forward and backward',
    run: (rng) => {
      const classes = intIn(rng, 3, 7);
      const rows = intIn(rng, 2, 5);
      const values: number[] = [];
      for (let row = 0; row < rows; row++) {
        const base = rng.uniformIn(-900, 900);
        for (let k = 0; k < classes; k++) values.push(k === 0 ? base : base + (rng.int(3) - 1) * rng.uniformIn(0, 40));
      }
      const layer = new SoftMax();
      const y = tensorData(layer.forward(tensor(values, [rows, classes])), 'SoftMax.forward');
      const upstream = tensor(
        Array.from({ length: rows * classes }, () => rng.uniformIn(-1, 1)),
        [rows, classes],
      );
      return { y, dx: tensorData(layer.backward(upstream), 'SoftMax.backward') };
    },
    matchReference: 1e-9,
  }),
]);
