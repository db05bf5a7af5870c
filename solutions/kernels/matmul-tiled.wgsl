// Matrix product on the GPU, tiled: C = A·B for A [m, k], B [k, n], C [m, n], row-major.
//
// The naive kernel reads 2k numbers from global memory for every element of C. Here a workgroup
// of 16×16 invocations owns a 64×64 block of C and walks along k in steps of TILE = 16:
//   1. together, the 256 invocations copy a 64×16 tile of A and a 16×64 tile of B into workgroup
//      memory (fast, shared by the workgroup), 4 + 4 elements each, zeros where the tile sticks out
//      of the matrix;
//   2. workgroupBarrier(): nobody reads a tile before everybody has written it;
//   3. each invocation accumulates a 4×4 block of C from the tiles: 16 multiply-adds for every
//      4 + 4 numbers it reads (the naive kernel does 1 per 2);
//   4. workgroupBarrier() again before the next tiles overwrite these.
// Each number of A and B is read from global memory 64 times less often than in the naive kernel.
//
// CPU reference: the same sum as matmul-naive.wgsl; framework/ops/cpu/matmul.ts (matmulBlocked)
// blocks for the CPU cache in the same spirit.
//
// Rules that bite: workgroupBarrier() must be reached by every invocation of the workgroup, so no
// early `return` for invocations outside C; guard the loads and the final store instead.
//
// Handout: docs/exercises/5-webgpu.md#matmul-tiled

const TILE = 16u;      // step along k
const BLOCK = 64u;     // rows (and columns) of C per workgroup: 16 invocations × 4
const PER_THREAD = 4u; // rows (and columns) of C per invocation

struct Params {
  m: u32,
  k: u32,
  n: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> tileA: array<f32, 1024>; // BLOCK rows × TILE columns of A
var<workgroup> tileB: array<f32, 1024>; // TILE rows × BLOCK columns of B

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u,
        @builtin(local_invocation_index) lane: u32) {
  let firstRow = group.y * BLOCK; // of this workgroup's block of C
  let firstCol = group.x * BLOCK;
  // BEGIN SOLUTION
  var sum: array<f32, 16>; // the 4×4 block of C, row-major; starts at zero
  let steps = (params.k + TILE - 1u) / TILE;
  for (var step = 0u; step < steps; step++) {
    // 1. 1024 elements per tile, 256 invocations: each copies 4 of A and 4 of B.
    for (var e = lane; e < BLOCK * TILE; e += 256u) {
      let rowA = firstRow + e / TILE;
      let colA = step * TILE + e % TILE;
      var va = 0.0;
      if (rowA < params.m && colA < params.k) {
        va = a[rowA * params.k + colA];
      }
      tileA[e] = va;
      let rowB = step * TILE + e / BLOCK;
      let colB = firstCol + e % BLOCK;
      var vb = 0.0;
      if (rowB < params.k && colB < params.n) {
        vb = b[rowB * params.n + colB];
      }
      tileB[e] = vb;
    }
    workgroupBarrier();
    // 3. this invocation's rows are local.y·4 + i, its columns local.x·4 + j.
    for (var p = 0u; p < TILE; p++) {
      var fromA: array<f32, 4>;
      var fromB: array<f32, 4>;
      for (var i = 0u; i < PER_THREAD; i++) {
        fromA[i] = tileA[(local.y * PER_THREAD + i) * TILE + p];
        fromB[i] = tileB[p * BLOCK + local.x * PER_THREAD + i];
      }
      for (var i = 0u; i < PER_THREAD; i++) {
        for (var j = 0u; j < PER_THREAD; j++) {
          sum[i * PER_THREAD + j] += fromA[i] * fromB[j];
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < PER_THREAD; i++) {
    for (var j = 0u; j < PER_THREAD; j++) {
      let row = firstRow + local.y * PER_THREAD + i;
      let col = firstCol + local.x * PER_THREAD + j;
      if (row < params.m && col < params.n) {
        c[row * params.n + col] = sum[i * PER_THREAD + j];
      }
    }
  }
  // END SOLUTION
}
