// out[i] = a[ia] ∘ b[ib] element-wise, with NumPy broadcasting.
// CPU reference: framework/ops/cpu/elementwise.ts (mapBinary).
// The output index i is split into coordinates along the output shape; a and b are read with their
// own strides, which are 0 along the axes they are stretched over (a bias row repeated per row).

// The operation, fixed per pipeline. The numbers are framework/webgpu/kernels/opcodes.ts (binaryOpcodes);
// tests/framework/webgpu-opcodes.test.ts checks that the two agree.
override OP: u32 = 0u;
const OP_ADD = 0u;
const OP_SUB = 1u;
const OP_MUL = 2u;
const OP_DIV = 3u;
const OP_MAXIMUM = 4u;

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
    case OP_ADD: { return x + y; }
    case OP_SUB: { return x - y; }
    case OP_MUL: { return x * y; }
    case OP_DIV: { return x / y; }
    case OP_MAXIMUM, default: { return select(y, x, x >= y); }
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
