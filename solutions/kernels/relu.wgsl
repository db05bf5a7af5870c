// ReLU forward on the GPU: y[i] = max(0, x[i]), one invocation per element.
//
// CPU reference: your reluCpu from Exercise 1 (exercises/activations/relu.ts), one loop over the
// elements. (Not quoted here: this file is handed out with Exercise 1 still to do.)
//
// The loop disappears: the runtime dispatches ceil(size / 256) workgroups of 256 invocations, and
// invocation `id.x` handles element `id.x`. The last workgroup sticks out past the end of the
// tensor, so every invocation first checks that its index is inside it.
//
// Handout: docs/exercises/5-webgpu.md#elementwise-kernels

struct Params {
  size: u32, // number of elements
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  // BEGIN SOLUTION
  if (i < params.size) {
    y[i] = select(0.0, x[i], x[i] > 0.0);
  }
  // END SOLUTION
}
