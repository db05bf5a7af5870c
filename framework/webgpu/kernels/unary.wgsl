// out[i] = f(x[i]), one invocation per element.
// CPU reference: framework/ops/cpu/register.ts (the unary table, scale, addScalar, fill).

// The function, fixed per pipeline. The numbers are framework/webgpu/kernels/opcodes.ts (unaryOpcodes);
// tests/framework/webgpu-opcodes.test.ts checks that the two agree.
override OP: u32 = 0u;
const OP_NEG = 0u;
const OP_EXP = 1u;
const OP_LOG = 2u;
const OP_SQRT = 3u;
const OP_SQUARE = 4u;
const OP_ABS = 5u;
const OP_SIGN = 6u;
const OP_TANH = 7u;
const OP_SCALE = 8u; // x·c
const OP_ADD_SCALAR = 9u; // x + c
const OP_FILL = 10u; // c

struct Params {
  size: u32,
  scalar: f32, // c
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

fn apply(v: f32, c: f32) -> f32 {
  switch OP {
    case OP_NEG: { return -v; }
    case OP_EXP: { return exp(v); }
    case OP_LOG: { return log(v); }
    case OP_SQRT: { return sqrt(v); }
    case OP_SQUARE: { return v * v; }
    case OP_ABS: { return abs(v); }
    case OP_SIGN: { return sign(v); }
    case OP_TANH: { return tanh(v); }
    case OP_SCALE: { return v * c; }
    case OP_ADD_SCALAR: { return v + c; }
    case OP_FILL, default: { return c; }
  }
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i < params.size) {
    out[i] = apply(x[i], params.scalar);
  }
}
