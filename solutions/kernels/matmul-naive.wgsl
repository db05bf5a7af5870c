// Matrix product on the GPU, naive: C = A·B for A [m, k], B [k, n], C [m, n], row-major.
//   C[row, col] = Σ_p A[row, p] · B[p, col]
//
// CPU reference (framework/ops/cpu/matmul.ts, matmulNaive):
//   for (let i = 0; i < m; i++)
//     for (let j = 0; j < n; j++) {
//       let sum = 0;
//       for (let p = 0; p < k; p++) sum += A[i * k + p] * B[p * n + j];
//       C[i * n + j] = sum;
//     }
//
// The two outer loops become the grid: workgroups of 16×16 invocations tile C, invocation
// (id.x, id.y) computes C[row = id.y, col = id.x]. Only the loop over p stays in the shader.
// Every invocation reads a whole row of A and a whole column of B from global memory.
//
// Handout: docs/exercises/5-webgpu.md#matmul-naive

struct Params {
  m: u32,
  k: u32,
  n: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let row = id.y;
  let col = id.x;
  // BEGIN SOLUTION
  if (row >= params.m || col >= params.n) {
    return;
  }
  var sum = 0.0;
  for (var p = 0u; p < params.k; p++) {
    sum += a[row * params.k + p] * b[p * params.n + col];
  }
  c[row * params.n + col] = sum;
  // END SOLUTION
}
