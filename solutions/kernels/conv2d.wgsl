// 2-D convolution forward (cross-correlation) on the GPU:
//   y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m − pt, j·sw + n − pl] · w[o, c, m, n]
// with x taken as zero outside the image (the padding).
// Shapes: x [B, C, H, W], w [O, C, KH, KW], bias [O] → y [B, O, OH, OW], all row-major.
//
// CPU reference (solutions/layers/conv2d-kernels.ts, conv2dCpu, Exercise 2):
//   for b, o, i, j:                       ← these four loops become the grid
//     sum = bias[o]
//     for c, m, n:                        ← these stay in the shader
//       r = i·sh + m − pt; s = j·sw + n − pl
//       if 0 ≤ r < H and 0 ≤ s < W: sum += X[((b·C + c)·H + r)·W + s] · W[((o·C + c)·KH + m)·KW + n]
//     Y[((b·O + o)·OH + i)·OW + j] = sum
//
// Grid: workgroups of 8×8 invocations cover the output image (x → column j, y → row i), and the
// z axis of the grid counts (b, o) pairs: id.z = b·O + o.
// Padded coordinates can be negative: compute them as i32 before comparing.
//
// Handout: docs/exercises/5-webgpu.md#conv2d-kernel

struct Params {
  batch: u32,
  inChannels: u32,
  height: u32,
  width: u32,
  outChannels: u32,
  kernelHeight: u32,
  kernelWidth: u32,
  outHeight: u32,
  outWidth: u32,
  strideH: u32,
  strideW: u32,
  padTop: u32,
  padLeft: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let j = id.x;
  let i = id.y;
  let b = id.z / params.outChannels;
  let o = id.z % params.outChannels;
  // BEGIN SOLUTION
  if (i >= params.outHeight || j >= params.outWidth || b >= params.batch) {
    return;
  }
  var sum = bias[o];
  for (var c = 0u; c < params.inChannels; c++) {
    for (var m = 0u; m < params.kernelHeight; m++) {
      let r = i32(i * params.strideH + m) - i32(params.padTop);
      if (r < 0 || r >= i32(params.height)) {
        continue; // a padded row: zeros add nothing
      }
      for (var n = 0u; n < params.kernelWidth; n++) {
        let s = i32(j * params.strideW + n) - i32(params.padLeft);
        if (s < 0 || s >= i32(params.width)) {
          continue;
        }
        let xAt = ((b * params.inChannels + c) * params.height + u32(r)) * params.width + u32(s);
        let wAt = ((o * params.inChannels + c) * params.kernelHeight + m) * params.kernelWidth + n;
        sum += x[xAt] * w[wAt];
      }
    }
  }
  y[((b * params.outChannels + o) * params.outHeight + i) * params.outWidth + j] = sum;
  // END SOLUTION
}
