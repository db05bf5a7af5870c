import { registerKernel } from '../../backend/kernel-registry.js';
import { binaryKernelNames, unaryKernelNames } from '../../backend/kernels.js';
import { broadcastShapes, broadcastStrides, stridesOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { emptyGpuTensor, storageFrom } from '../buffers.js';
import { dispatch, workgroupsFor } from '../dispatch.js';
import { loadWgslKernel } from '../wgsl-kernel.js';
import { binaryOpcodes, reduceOpcodes, unaryOpcodes } from './opcodes.js';

/**
 * The framework's own WebGPU kernels: what layers and optimizers need besides the exercise kernels
 * (FullyConnected.backward, Parameter.accumulate, Sgd, SoftMax.backward, zeroGrad). Registered under
 * the same names as the CPU kernels in framework/ops/cpu/register.ts, which are their oracle.
 */
const binary = loadWgslKernel(new URL('./binary.wgsl', import.meta.url), {
  name: 'binary',
  bindings: ['read', 'read', 'read', 'write', 'uniform'],
});
const unary = loadWgslKernel(new URL('./unary.wgsl', import.meta.url), {
  name: 'unary',
  bindings: ['read', 'write', 'uniform'],
});
const reduce = loadWgslKernel(new URL('./reduce.wgsl', import.meta.url), {
  name: 'reduce',
  bindings: ['read', 'write', 'uniform'],
});
const permute = loadWgslKernel(new URL('./permute.wgsl', import.meta.url), {
  name: 'permute',
  bindings: ['read', 'read', 'write', 'uniform'],
});

const WORKGROUP = 256;

for (const name of binaryKernelNames)
  registerKernel(name, 'webgpu', ([a, b]) => runBinary(a, b, binaryOpcodes[name], name));
for (const name of unaryKernelNames) registerKernel(name, 'webgpu', ([x]) => runUnary(x, unaryOpcodes[name], 0));
registerKernel('scale', 'webgpu', ([x], { factor }) => runUnary(x, unaryOpcodes.scale, factor));
registerKernel('addScalar', 'webgpu', ([x], { value }) => runUnary(x, unaryOpcodes.addScalar, value));
registerKernel('fill', 'webgpu', ([like], { value }) => runUnary(like, unaryOpcodes.fill, value));

registerKernel('sum', 'webgpu', ([x], { axis, keepDims }) => runReduce(x, axis, keepDims, reduceOpcodes.sum));
registerKernel('max', 'webgpu', ([x], { axis, keepDims }) => runReduce(x, axis, keepDims, reduceOpcodes.max));

registerKernel('permute', 'webgpu', ([x], { axes }) => {
  const shape = axes.map((axis) => x.shape[axis]);
  const inStrides = stridesOf(x.shape);
  const out = emptyGpuTensor(shape);
  const layout = storageFrom(Uint32Array.from([...shape, ...axes.map((axis) => inStrides[axis])]), 'permute layout');
  dispatch(permute, {
    buffers: [x, layout, out],
    params: [{ u32: x.size }, { u32: x.rank }],
    workgroups: [workgroupsFor(x.size, WORKGROUP)],
  });
  layout.destroy();
  return out;
});

function runBinary(a: Tensor, b: Tensor, op: number, name: string): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, name);
  const out = emptyGpuTensor(shape);
  const layout = storageFrom(
    Uint32Array.from([...shape, ...broadcastStrides(a.shape, shape), ...broadcastStrides(b.shape, shape)]),
    `${name} layout`,
  );
  dispatch(binary, {
    buffers: [a, b, layout, out],
    params: [{ u32: out.size }, { u32: shape.length }],
    workgroups: [workgroupsFor(out.size, WORKGROUP)],
    constants: { OP: op },
  });
  layout.destroy();
  return out;
}

function runUnary(x: Tensor, op: number, scalar: number): Tensor {
  const out = emptyGpuTensor(x.shape);
  dispatch(unary, {
    buffers: [x, out],
    params: [{ u32: x.size }, { f32: scalar }],
    workgroups: [workgroupsFor(x.size, WORKGROUP)],
    constants: { OP: op },
  });
  return out;
}

function runReduce(x: Tensor, axis: number, keepDims: boolean, op: number): Tensor {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= x.shape[i];
  for (let i = axis + 1; i < x.rank; i++) inner *= x.shape[i];
  const shape = keepDims ? x.shape.map((dim, i) => (i === axis ? 1 : dim)) : x.shape.filter((_, i) => i !== axis);
  const out = emptyGpuTensor(shape);
  dispatch(reduce, {
    buffers: [x, out],
    params: [{ u32: outer }, { u32: x.shape[axis] }, { u32: inner }],
    workgroups: [workgroupsFor(outer * inner, WORKGROUP)],
    constants: { OP: op },
  });
  return out;
}
