// out[i] = f(x[i]), one invocation per element.
// CPU reference: framework/ops/cpu/register.ts (the unary table, scale, addScalar, fill).

// The function, fixed per pipeline:
// 0 neg, 1 exp, 2 log, 3 sqrt, 4 square, 5 abs, 6 sign, 7 tanh, 8 scale (x·c), 9 addScalar (x + c), 10 fill (c)
override OP: u32 = 0u;

struct Params {
  size: u32,
  scalar: f32, // c
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

fn apply(v: f32, c: f32) -> f32 {
  switch OP {
    case 0u: { return -v; }
    case 1u: { return exp(v); }
    case 2u: { return log(v); }
    case 3u: { return sqrt(v); }
    case 4u: { return v * v; }
    case 5u: { return abs(v); }
    case 6u: { return sign(v); }
    case 7u: { return tanh(v); }
    case 8u: { return v * c; }
    case 9u: { return v + c; }
    default: { return c; }
  }
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i < params.size) {
    out[i] = apply(x[i], params.scalar);
  }
}
