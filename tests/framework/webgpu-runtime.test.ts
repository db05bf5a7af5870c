import { describe, expect, it } from 'vitest';
import { fromArray, NotImplementedError, tensor } from '../../framework/index.js';
import {
  compileKernel,
  defineWgslKernel,
  dispatch,
  gpuDispatchCount,
  readStorage,
  stubMarkerOf,
  storageFrom,
  createStorage,
  WgslError,
} from '../../framework/webgpu/index.js';
import { adapterLine, describeOnGpu, webgpuForTests } from '../helpers/webgpu.js';

const gpu = await webgpuForTests();

describe('framework WebGPU stub marker', () => {
  it('finds the exercise, component and handout in a stubbed .wgsl', () => {
    const source =
      'fn main() {\n  // dlkit:not-implemented ex5 ElementwiseKernels docs/exercises/5-webgpu.md#elementwise-kernels\n}\n';
    expect(stubMarkerOf(source)).toEqual({
      exercise: 'ex5',
      component: 'ElementwiseKernels',
      handout: 'docs/exercises/5-webgpu.md#elementwise-kernels',
    });
  });

  it('ignores an implemented kernel, and the words in prose', () => {
    expect(stubMarkerOf('@compute @workgroup_size(1) fn main() {}')).toBeUndefined();
    expect(stubMarkerOf('// the stub tool writes dlkit:not-implemented lines')).toBeUndefined();
  });
});

describeOnGpu(gpu, 'framework WebGPU runtime', () => {
  it('reports the adapter it runs on', async ({ annotate }) => {
    const line = adapterLine(gpu);
    console.log(`WebGPU adapter: ${line}`);
    await annotate(line, 'webgpu-adapter');
    expect(gpu.context!.adapter.device).not.toBe('null-backend');
  });

  it('uploads as float32 and reads back, rounding float64 values', async () => {
    const x = fromArray([
      [1, 0.1],
      [-2.5, 1e-8],
    ]);
    const onGpu = await x.to('webgpu');
    expect(onGpu.device).toBe('webgpu');
    expect(onGpu.dtype).toBe('float32');
    expect(() => onGpu.data).toThrow(/to\('cpu'\)/);
    const back = await onGpu.to('cpu');
    expect(back.dtype).toBe('float32');
    expect(Array.from(back.data)).toEqual([1, Math.fround(0.1), -2.5, Math.fround(1e-8)]);
  });

  it('reshapes on the GPU (same buffer) and clones into a new one', async () => {
    const onGpu = await tensor([1, 2, 3, 4, 5, 6], [2, 3]).to('webgpu');
    const view = onGpu.reshape([3, -1]);
    expect(view.shape).toEqual([3, 2]);
    expect(view.storage).toBe(onGpu.storage);
    const copy = onGpu.clone();
    expect(copy.storage).not.toBe(onGpu.storage);
    expect((await copy.to('cpu')).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('runs WGSL: a kernel writes num_workgroups, which only a dispatch can know', async () => {
    // Dispatched as 7×3×2 workgroups, the first invocation of the first workgroup records the grid.
    const kernel = defineWgslKernel(
      `@group(0) @binding(0) var<storage, read_write> o: array<u32>;
       @compute @workgroup_size(4, 2, 1)
       fn main(@builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_index) lane: u32,
               @builtin(workgroup_id) group: vec3u) {
         if (lane == 0u && all(group == vec3u(0u))) { o[0] = grid.x; o[1] = grid.y; o[2] = grid.z; o[3] = 0xC0FFEEu; }
       }`,
      { name: 'numWorkgroupsProbe', bindings: ['write'] },
    );
    const out = createStorage(4);
    const before = gpuDispatchCount('numWorkgroupsProbe');
    dispatch(kernel, { buffers: [out], workgroups: [7, 3, 2] });
    expect(Array.from(new Uint32Array(await readStorage(out)))).toEqual([7, 3, 2, 0xc0ffee]);
    expect(gpuDispatchCount('numWorkgroupsProbe')).toBe(before + 1);
  });

  it('passes uniforms and override constants', async () => {
    const kernel = defineWgslKernel(
      `override SCALE: f32 = 1.0;
       struct Params { count: u32, offset: f32 }
       @group(0) @binding(0) var<storage, read> x: array<f32>;
       @group(0) @binding(1) var<storage, read_write> y: array<f32>;
       @group(0) @binding(2) var<uniform> params: Params;
       @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
         if (id.x < params.count) { y[id.x] = x[id.x] * SCALE + params.offset; }
       }`,
      { name: 'affineProbe', bindings: ['read', 'write', 'uniform'] },
    );
    const x = storageFrom(Float32Array.from([1, 2, 3, 4, 5]));
    const y = createStorage(5);
    dispatch(kernel, { buffers: [x, y], params: [{ u32: 4 }, { f32: 0.5 }], workgroups: [1], constants: { SCALE: 3 } });
    // Element 4 is past `count`, so it keeps the zero every new buffer starts with.
    expect(Array.from(new Float32Array(await readStorage(y)))).toEqual([3.5, 6.5, 9.5, 12.5, 0]);
  });

  it('rejects invalid WGSL with the file, line and column of the compiler message', async () => {
    const kernel = defineWgslKernel('@compute @workgroup_size(1)\nfn main() {\n  let x : f32 = 1u;\n}\n', {
      name: 'broken',
      bindings: [],
      file: 'broken.wgsl',
    });
    const error = await compileKernel(kernel).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WgslError);
    expect((error as WgslError).message).toMatch(
      /WGSL kernel 'broken' \(broken\.wgsl\) does not compile:\n {2}broken\.wgsl:3:\d+ error: .*f32/,
    );
    // Every later dispatch of the broken kernel fails at once, with the same message.
    expect(() => dispatch(kernel, { buffers: [], workgroups: [1] })).toThrow(WgslError);
  });

  it('reports invalid WGSL used by a kernel at the next read-back', async () => {
    const kernel = defineWgslKernel(
      `@group(0) @binding(0) var<storage, read_write> o: array<f32>;
       @compute @workgroup_size(1) fn main() { o[0] = undefined_function(); }`,
      { name: 'brokenAtDispatch', bindings: ['write'] },
    );
    const out = createStorage(1);
    dispatch(kernel, { buffers: [out], workgroups: [1] });
    await expect(readStorage(out)).rejects.toThrow(/brokenAtDispatch.*does not compile[\s\S]*undefined_function/);
  });

  it('explains a kernel whose bindings do not match what the runtime binds', async () => {
    const kernel = defineWgslKernel(
      `@group(0) @binding(0) var<storage, read_write> o: array<f32>;
       @compute @workgroup_size(1) fn main() { o[0] = 1.0; }`,
      { name: 'wrongBinding', bindings: ['read'] },
    );
    await expect(compileKernel(kernel)).rejects.toThrow(
      /does not match the bindings the runtime gives it \(@binding\(0\) var<storage, read>\)/,
    );
  });

  it('throws NotImplementedError for a stubbed kernel instead of running it', () => {
    const stub = defineWgslKernel(
      `@group(0) @binding(0) var<storage, read_write> o: array<f32>;
       @compute @workgroup_size(1) fn main() {
         // dlkit:not-implemented ex5 MatmulKernel docs/exercises/5-webgpu.md#matmul-naive
       }`,
      { name: 'stubbed', bindings: ['write'], file: 'exercises/kernels/stubbed.wgsl' },
    );
    const run = () => dispatch(stub, { buffers: [createStorage(1)], workgroups: [1] });
    expect(run).toThrow(NotImplementedError);
    expect(run).toThrow(/ex5 MatmulKernel is not implemented yet: read docs\/exercises\/5-webgpu\.md#matmul-naive/);
  });

  it('refuses a grid larger than the device allows, naming the kernel', () => {
    const kernel = defineWgslKernel('@compute @workgroup_size(1) fn main() {}', { name: 'tooWide', bindings: [] });
    expect(() => dispatch(kernel, { buffers: [], workgroups: [1e6] })).toThrow(
      /kernel 'tooWide': cannot dispatch 1000000×1×1 workgroups/,
    );
  });
});
