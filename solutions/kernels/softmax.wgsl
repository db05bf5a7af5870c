// Row softmax on the GPU: for every row of x [rows, classes],
//   y_k = exp(x_k − m) / Σ_j exp(x_j − m),   m = max_j x_j   (max-shifted, so exp cannot overflow)
//
// CPU reference (solutions/activations/softmax.ts, softmaxCpu):
//   for each row: largest = max_k x[k]; total = Σ_k (y[k] = exp(x[k] − largest)); y[k] /= total
//
// One workgroup of 64 invocations per row. A row can be longer or shorter than 64: invocation
// `lane` takes the elements lane, lane + 64, lane + 128, … of its row. The maximum and the sum are
// workgroup reductions: each invocation reduces its own elements, writes its partial result to
// workgroup memory, and a tree halves the 64 partials (32, 16, … 1) with a barrier between levels.
//
// workgroupBarrier() must be reached by all 64 invocations: `row` comes from workgroup_id, the same
// for the whole workgroup, so branching on it is allowed; branching on `lane` around a barrier is not.
//
// Handout: docs/exercises/5-webgpu.md#softmax-kernel

const WORKGROUP_SIZE = 64u;

struct Params {
  rows: u32,
  classes: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> partial: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) lane: u32) {
  let row = group.x;
  let start = row * params.classes;
  // BEGIN SOLUTION
  // 1. The row maximum.
  var largest = -3.402823e38; // the lowest finite f32
  for (var k = lane; k < params.classes; k += WORKGROUP_SIZE) {
    largest = max(largest, x[start + k]);
  }
  partial[lane] = largest;
  workgroupBarrier();
  for (var half = WORKGROUP_SIZE / 2u; half > 0u; half /= 2u) {
    if (lane < half) {
      partial[lane] = max(partial[lane], partial[lane + half]);
    }
    workgroupBarrier();
  }
  let rowMax = partial[0];
  workgroupBarrier(); // everyone has read partial[0] before it is reused for the sum

  // 2. Σ exp(x − max).
  var total = 0.0;
  for (var k = lane; k < params.classes; k += WORKGROUP_SIZE) {
    total += exp(x[start + k] - rowMax);
  }
  partial[lane] = total;
  workgroupBarrier();
  for (var half = WORKGROUP_SIZE / 2u; half > 0u; half /= 2u) {
    if (lane < half) {
      partial[lane] += partial[lane + half];
    }
    workgroupBarrier();
  }
  let rowSum = partial[0];

  // 3. Normalise.
  for (var k = lane; k < params.classes; k += WORKGROUP_SIZE) {
    y[start + k] = exp(x[start + k] - rowMax) / rowSum;
  }
  // END SOLUTION
}
