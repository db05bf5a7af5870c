import { matmulNaiveKernel } from '#impl/kernels/matmul.js';
import { componentChecks, knownValue } from '../harness/index.js';
import {
  handProduct,
  knownProduct,
  nonChainingCheck,
  OUTER_PRODUCT,
  paddedProductsCheck,
  productChecks,
  randomShapesCheck,
  SQUARE_PRODUCT,
  thinProductsCheck,
  verifyHandProduct,
  verifyKnownProduct,
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
      run: () => handProduct(NAME, SQUARE_PRODUCT),
      verify: (data) => verifyHandProduct(NAME, data, SQUARE_PRODUCT),
    }),
    knownValue({
      title: 'a row times a column is their dot product; a column times a row is the outer product',
      run: async () => ({
        dot: await knownProduct(NAME, OUTER_PRODUCT.b, OUTER_PRODUCT.a),
        outer: await handProduct(NAME, OUTER_PRODUCT),
      }),
      verify: ({ dot, outer }) => {
        verifyKnownProduct(NAME, dot, [[32]], ' (a dot product)');
        verifyHandProduct(NAME, outer, OUTER_PRODUCT, ' (an outer product: check row = id.y, col = id.x)');
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
    nonChainingCheck(NAME),
  ],
  { webgpu: true },
);
