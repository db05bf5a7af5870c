// Max pooling forward on the GPU, 'valid' (no padding), per channel:
//   y[b, c, i, j] = max_{m < PH, n < PW} x[b, c, i·sh + m, j·sw + n]
// Shapes: x [B, C, H, W] → y [B, C, OH, OW] with OH = ⌊(H − PH)/sh⌋ + 1, OW likewise.
//
// CPU reference (solutions/layers/max-pool.ts, maxPool2dCpu, Exercise 2):
//   for plane (= b·C + c), i, j:           ← the grid
//     largest = −∞
//     for m, n: largest = max(largest, X[(plane·H + i·sh + m)·W + j·sw + n])
//     Y[(plane·OH + i)·OW + j] = largest
//
// Grid: one invocation per output element, 256 per workgroup, along x (flat output index).
//
// Handout: docs/exercises/5-webgpu.md#maxpool-kernel

struct Params {
  planes: u32, // B·C
  height: u32,
  width: u32,
  poolHeight: u32,
  poolWidth: u32,
  strideH: u32,
  strideW: u32,
  outHeight: u32,
  outWidth: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let index = id.x; // (plane·OH + i)·OW + j
  // BEGIN SOLUTION
  if (index >= params.planes * params.outHeight * params.outWidth) {
    return;
  }
  let j = index % params.outWidth;
  let i = (index / params.outWidth) % params.outHeight;
  let plane = index / (params.outWidth * params.outHeight);
  var largest = -3.402823e38;
  for (var m = 0u; m < params.poolHeight; m++) {
    let row = (plane * params.height + i * params.strideH + m) * params.width + j * params.strideW;
    for (var n = 0u; n < params.poolWidth; n++) {
      largest = max(largest, x[row + n]);
    }
  }
  y[index] = largest;
  // END SOLUTION
}
