// ReLU backward on the GPU: dx[i] = dy[i] where x[i] > 0, else 0 (the derivative at 0 is 0).
//
// CPU reference: your reluBackwardCpu from Exercise 1 (exercises/activations/relu.ts), one loop over
// the elements. (Not quoted here: this file is handed out with Exercise 1 still to do.)
//
// Same grid as the forward kernel: one invocation per element, 256 per workgroup.
//
// Handout: docs/exercises/5-webgpu.md#elementwise-kernels

struct Params {
  size: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  // BEGIN SOLUTION
  if (i < params.size) {
    dx[i] = select(0.0, dy[i], x[i] > 0.0);
  }
  // END SOLUTION
}
