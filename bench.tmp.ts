import { readFileSync } from 'node:fs';
import { Rng } from './framework/index.js';
import { defineWgslKernel, dispatch, emptyGpuTensor, initWebGpu, readStorage, storageOf, destroyWebGpu, loadWgslKernel } from './framework/webgpu/index.js';
await initWebGpu();
const b = ['read', 'read', 'write', 'uniform'] as const;
const kernels = {
  naive: [loadWgslKernel(new URL('./solutions/kernels/matmul-naive.wgsl', import.meta.url), { name: 'naive', bindings: b }), 16],
  
  tiled4x4: [defineWgslKernel(readFileSync('/tmp/tiled4x4.wgsl', 'utf8'), { name: 't44', bindings: b }), 64], v4: [defineWgslKernel(readFileSync('/tmp/tiledv4.wgsl', 'utf8'), { name: 'v4', bindings: b }), 64],
} as const;
const rng = new Rng(1);
for (const n of [256, 512]) {
  const A = await rng.uniformTensor([n, n], -1, 1).to('webgpu');
  const B = await rng.uniformTensor([n, n], -1, 1).to('webgpu');
  const results: string[] = [];
  let ref: Float32Array | undefined;
  for (const [name, [k, per]] of Object.entries(kernels)) {
    const C = emptyGpuTensor([n, n]);
    const run = async (reps: number) => { for (let r = 0; r < reps; r++) dispatch(k, { buffers: [A, B, C], params: [{ u32: n }, { u32: n }, { u32: n }], workgroups: [Math.ceil(n / per), Math.ceil(n / per)] }); await readStorage(storageOf(C, 'x'), 1); };
    await run(1);
    const reps = n >= 1024 ? 2 : 5;
    const t = performance.now(); await run(reps); const ms = (performance.now() - t) / reps;
    const out = new Float32Array(await readStorage(storageOf(C, 'x')));
    ref ??= out; let err = 0; for (let i = 0; i < out.length; i++) err = Math.max(err, Math.abs(out[i] - ref[i]));
    results.push(`${name} ${ms.toFixed(1)}ms ${(2 * n ** 3 / ms / 1e6).toFixed(2)}GF err${err.toExponential(1)}`);
  }
  console.log(n, results.join(' | '));
}
await destroyWebGpu();
