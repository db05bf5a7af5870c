import type { BuggedVariant } from './variant.js';

/** Realistic mistakes in Exercise 5's WGSL kernels (see variant.ts). */
export const ex5: readonly BuggedVariant[] = [
  {
    id: 'relu-kernel-no-bounds-guard',
    exercise: 'ex5',
    component: 'ElementwiseKernels',
    file: 'kernels/relu.wgsl',
    bug: 'drops the `if (i < params.size)` guard: the last workgroup writes past the end of the output',
    replace: [['  if (i < params.size) {\n    y[i] = select(0.0, x[i], x[i] > 0.0);\n  }', '  y[i] = select(0.0, x[i], x[i] > 0.0);']],
  },
  {
    id: 'relu-backward-passes-gradient-at-zero',
    exercise: 'ex5',
    component: 'ElementwiseKernels',
    file: 'kernels/relu-backward.wgsl',
    bug: 'passes the gradient where x ≥ 0 (the derivative at 0 is 0)',
    replace: [['x[i] > 0.0', 'x[i] >= 0.0']],
  },
  {
    id: 'matmul-naive-no-bounds-guard',
    exercise: 'ex5',
    component: 'MatmulKernel',
    file: 'kernels/matmul-naive.wgsl',
    bug: 'drops the `row < m && col < n` guard: invocations past the last column write into the next row',
    replace: [['  if (row >= params.m || col >= params.n) {\n    return;\n  }\n', '']],
  },
  {
    id: 'matmul-naive-writes-c-transposed',
    exercise: 'ex5',
    component: 'MatmulKernel',
    file: 'kernels/matmul-naive.wgsl',
    bug: 'swaps row and column when storing C (c[col·m + row]), invisible on a symmetric square result',
    replace: [['c[row * params.n + col] = sum;', 'c[col * params.m + row] = sum;']],
  },
  {
    id: 'matmul-tiled-no-barrier-after-load',
    exercise: 'ex5',
    component: 'TiledMatmulKernel',
    file: 'kernels/matmul-tiled.wgsl',
    bug: 'forgets the workgroupBarrier() between loading the tiles and using them',
    replace: [['    }\n    workgroupBarrier();\n    // 3. this invocation', '    }\n    // 3. this invocation']],
  },
  {
    id: 'matmul-tiled-no-barrier-before-next-tile',
    exercise: 'ex5',
    component: 'TiledMatmulKernel',
    file: 'kernels/matmul-tiled.wgsl',
    bug: 'forgets the second workgroupBarrier(): the next tiles overwrite the ones other invocations still read',
    replace: [['      }\n    }\n    workgroupBarrier();\n  }\n', '      }\n    }\n  }\n']],
  },
  {
    id: 'matmul-tiled-unguarded-load-of-a',
    exercise: 'ex5',
    component: 'TiledMatmulKernel',
    file: 'kernels/matmul-tiled.wgsl',
    bug: 'guards the load of A by its row only: past column k the tile picks up whatever follows in the buffer',
    replace: [['if (rowA < params.m && colA < params.k) {', 'if (rowA < params.m) {']],
  },
  {
    id: 'matmul-tiled-unguarded-store',
    exercise: 'ex5',
    component: 'TiledMatmulKernel',
    file: 'kernels/matmul-tiled.wgsl',
    bug: 'stores the whole 4×4 block without checking row < m and col < n',
    replace: [['      if (row < params.m && col < params.n) {\n        c[row * params.n + col] = sum[i * PER_THREAD + j];\n      }', '      c[row * params.n + col] = sum[i * PER_THREAD + j];']],
  },
];
