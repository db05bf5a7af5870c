// Reduction along one axis: the shape is split into [outer, length, inner] around the axis and
//   out[o, i] = Σ_l x[o, l, i]     (OP_SUM)
//   out[o, i] = max_l x[o, l, i]   (OP_MAX)
// One invocation per output element walks the axis. CPU reference: framework/ops/cpu/reduce.ts.
// (A workgroup-wide tree reduction is faster for long axes: see the softmax kernel of Exercise 5.)

// The numbers are framework/webgpu/kernels/opcodes.ts (reduceOpcodes); tests/framework/webgpu-opcodes.test.ts
// checks that the two agree.
override OP: u32 = 0u;
const OP_SUM = 0u;
const OP_MAX = 1u;

struct Params {
  outer: u32,
  length: u32,
  inner: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let index = id.x;
  if (index >= params.outer * params.inner) {
    return;
  }
  let o = index / params.inner;
  let i = index % params.inner;
  let base = o * params.length * params.inner + i;
  var total = select(0.0, -3.4028234663852886e38, OP == OP_MAX);
  for (var l = 0u; l < params.length; l++) {
    let v = x[base + l * params.inner];
    total = select(total + v, max(total, v), OP == OP_MAX);
  }
  out[index] = total;
}
