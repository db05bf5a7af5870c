// out = x with its axes reordered: out.shape[k] = x.shape[axes[k]], one invocation per element.
// The output index is split into coordinates; each coordinate steps through x with the stride of
// the input axis it came from. CPU reference: framework/ops/cpu/transpose.ts (permuteCpu).

struct Params {
  size: u32,
  rank: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
// [output shape (rank), input stride of the axis each output axis came from (rank)]
@group(0) @binding(1) var<storage, read> dims: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= params.size) {
    return;
  }
  var rest = i;
  var source = 0u;
  for (var axis = i32(params.rank) - 1; axis >= 0; axis--) {
    let k = u32(axis);
    source += (rest % dims[k]) * dims[params.rank + k];
    rest = rest / dims[k];
  }
  out[i] = x[source];
}
