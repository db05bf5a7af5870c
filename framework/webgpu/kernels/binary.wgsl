// out[i] = a[ia] ∘ b[ib] element-wise, with NumPy broadcasting.
// CPU reference: framework/ops/cpu/elementwise.ts (mapBinary).
// The output index i is split into coordinates along the output shape; a and b are read with their
// own strides, which are 0 along the axes they are stretched over (a bias row repeated per row).

// The operation, fixed per pipeline: 0 add, 1 sub, 2 mul, 3 div, 4 maximum.
override OP: u32 = 0u;

struct Params {
  size: u32, // elements of the output
  rank: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
// [output shape (rank), strides of a (rank), strides of b (rank)]
@group(0) @binding(2) var<storage, read> dims: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

fn combine(x: f32, y: f32) -> f32 {
  switch OP {
    case 0u: { return x + y; }
    case 1u: { return x - y; }
    case 2u: { return x * y; }
    case 3u: { return x / y; }
    default: { return select(y, x, x >= y); }
  }
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= params.size) {
    return;
  }
  var rest = i;
  var ia = 0u;
  var ib = 0u;
  for (var axis = i32(params.rank) - 1; axis >= 0; axis--) {
    let k = u32(axis);
    let coordinate = rest % dims[k];
    rest = rest / dims[k];
    ia += coordinate * dims[params.rank + k];
    ib += coordinate * dims[2u * params.rank + k];
  }
  out[i] = combine(a[ia], b[ib]);
}
