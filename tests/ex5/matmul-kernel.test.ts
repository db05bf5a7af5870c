import { matmulNaiveKernel } from '#impl/kernels/matmul.js';
import { badInput, componentChecks, knownValue } from '../harness/index.js';
import {
  knownProduct,
  paddedProductsCheck,
  productChecks,
  randomShapesCheck,
  refusesNonChaining,
  thinProductsCheck,
  verifyKnownProduct,
  verifyRefusal,
} from '../helpers/matmul-cases.js';

/**
 * Exercise 5, step 1 of matmul: solutions/kernels/matmul-naive.wgsl (one invocation per element of
 * C, 16×16 per workgroup, id.x the column and id.y the row) against C = A·B recomputed in verify.
 * Handout: docs/exercises/5-webgpu.md#matmul-naive
 */
const NAME = 'matmulNaive';
const BLOCK = 16; // elements of C per workgroup along each axis (exercises/kernels/matmul.ts)

export default componentChecks(
  'ex5',
  'MatmulKernel',
  [
    // Below, at and past the 16×16 workgroup, and long k.
    ...productChecks(NAME, [
      [1, 1, 1],
      [3, 5, 2],
      [15, 7, 15],
      [16, 16, 16],
      [17, 16, 17],
      [32, 33, 31],
      [5, 300, 3],
      [70, 20, 90],
    ]),
    randomShapesCheck(NAME, 90, 15),
    thinProductsCheck(NAME),
    paddedProductsCheck(
      matmulNaiveKernel,
      BLOCK,
      [
        [1, 1, 1],
        [3, 5, 2],
        [17, 9, 33],
        [20, 3, 1],
        [1, 40, 17],
      ],
      'reads only A and B and writes only C: NaN and ±∞ past A and B, a sentinel past C, exact on integers',
    ),
    knownValue({
      title: '[[1, 2], [3, 4]]·[[5, 6], [7, 8]] = [[19, 22], [43, 50]]',
      run: () =>
        knownProduct(
          NAME,
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ),
      verify: (data) =>
        verifyKnownProduct(NAME, data, [
          [19, 22],
          [43, 50],
        ]),
    }),
    knownValue({
      title: 'a row times a column is their dot product; a column times a row is the outer product',
      run: async () => ({
        dot: await knownProduct(NAME, [[1, 2, 3]], [[4], [5], [6]]),
        outer: await knownProduct(NAME, [[4], [5], [6]], [[1, 2, 3]]),
      }),
      verify: ({ dot, outer }) => {
        verifyKnownProduct(NAME, dot, [[32]], ' (a dot product)');
        verifyKnownProduct(
          NAME,
          outer,
          [
            [4, 8, 12],
            [5, 10, 15],
            [6, 12, 18],
          ],
          ' (an outer product: check row = id.y, col = id.x)',
        );
      },
    }),
    knownValue({
      title: 'a 2×3 times a 3×4 of small integers, exactly (rows and columns not swapped)',
      run: () =>
        knownProduct(
          NAME,
          [
            [1, 0, 2],
            [-1, 3, 1],
          ],
          [
            [3, 1, 0, 2],
            [2, 1, 4, 0],
            [1, 0, -2, 5],
          ],
        ),
      verify: (data) =>
        verifyKnownProduct(
          NAME,
          data,
          [
            [5, 1, -4, 12],
            [4, 2, 10, 3],
          ],
          ' (check row = id.y, col = id.x, and the strides k and n)',
        ),
    }),
    badInput({
      title: 'shapes that do not chain are refused before anything is dispatched',
      run: () => refusesNonChaining(NAME),
      verify: (data) => verifyRefusal(NAME, data),
    }),
  ],
  { webgpu: true },
);
