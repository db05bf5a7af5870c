import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  add,
  addScalar,
  div,
  exp,
  fullLike,
  max,
  maximum,
  mean,
  mul,
  neg,
  permute,
  Rng,
  scale,
  sub,
  sum,
  tanh,
  transpose,
  type Tensor,
} from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import { propertyOptions } from '../helpers/property.js';
import { expectGpuMatches } from '../helpers/gpu-compare.js';
import { describeOnGpu, webgpuForTests } from '../helpers/webgpu.js';

/** The framework's own WebGPU kernels against the CPU kernels (the oracle), float32 against float64. */
const gpu = await webgpuForTests();
const rng = new Rng(5);
const TOLERANCE = 1e-5;

const onBoth = async (...tensors: Tensor[]): Promise<Tensor[]> => Promise.all(tensors.map((t) => t.to('webgpu')));
/** Random values that float32 holds exactly, so both devices start from the same numbers. */
const random = (shape: number[]): Tensor => rng.uniformTensor(shape, -3, 3).asType('float32').asType('float64');

// Below, at and past the 256-invocation workgroup, and a few whole workgroups plus one.
const sizes = [1, 255, 256, 257, 1000, 4097];
const gpuRuns = { ...propertyOptions, numRuns: 25 };

describeOnGpu(gpu, 'framework WebGPU kernels', () => {
  it.each(sizes)('binary ops agree with the CPU on %i elements', async (n) => {
    const a = random([n]);
    const b = random([n]).data.map((v) => (Math.abs(v) < 0.1 ? 0.5 : v)); // keep div away from 0
    const bb = random([n]);
    bb.data.set(b);
    const [ga, gb] = await onBoth(a, bb);
    for (const [name, op] of Object.entries({ add, sub, mul, div, maximum })) {
      await expectGpuMatches(op(ga, gb), op(a, bb), TOLERANCE, `${name} on ${n} elements`);
    }
  });

  it('broadcasts like the CPU on random shapes (bias rows, columns, scalars)', async () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        shapes,
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.nat(3),
        async (shape, ones, drop) => {
          // b: the same shape with some axes set to 1 and some leading axes dropped.
          const bShape = shape.map((d, i) => (ones[i] ? 1 : d)).slice(Math.min(drop, shape.length - 1));
          const a = random(shape);
          const b = random(bShape);
          const [ga, gb] = await onBoth(a, b);
          await expectGpuMatches(
            add(ga, gb),
            add(a, b),
            TOLERANCE,
            `add ${JSON.stringify(shape)} + ${JSON.stringify(bShape)}`,
          );
          await expectGpuMatches(
            mul(gb, ga),
            mul(b, a),
            TOLERANCE,
            `mul ${JSON.stringify(bShape)} · ${JSON.stringify(shape)}`,
          );
        },
      ),
      gpuRuns,
    );
  });

  it.each(sizes)('unary ops, scale, addScalar and fill agree with the CPU on %i elements', async (n) => {
    const x = random([n]);
    const [gx] = await onBoth(x);
    await expectGpuMatches(neg(gx), neg(x), TOLERANCE, 'neg');
    await expectGpuMatches(exp(gx), exp(x), TOLERANCE, 'exp');
    await expectGpuMatches(tanh(gx), tanh(x), TOLERANCE, 'tanh');
    await expectGpuMatches(scale(gx, -0.25), scale(x, -0.25), TOLERANCE, 'scale');
    await expectGpuMatches(addScalar(gx, 7), addScalar(x, 7), TOLERANCE, 'addScalar');
    await expectGpuMatches(fullLike(gx, 0.5), fullLike(x, 0.5), 0, 'fill');
  });

  it('sum, mean and max along every axis of random shapes agree with the CPU', async () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(shapes, fc.nat(3), fc.boolean(), async (shape, axisSeed, keepDims) => {
        const axis = axisSeed % shape.length;
        const x = random(shape);
        const [gx] = await onBoth(x);
        await expectGpuMatches(
          sum(gx, axis, keepDims),
          sum(x, axis, keepDims),
          TOLERANCE,
          `sum axis ${axis} of ${JSON.stringify(shape)}`,
        );
        await expectGpuMatches(mean(gx, axis), mean(x, axis), TOLERANCE, `mean axis ${axis}`);
        await expectGpuMatches(max(gx, axis, keepDims), max(x, axis, keepDims), 0, `max axis ${axis}`);
      }),
      gpuRuns,
    );
  });

  it('sums a long axis (300 rows, past one workgroup) like the CPU', async () => {
    const x = random([300, 3]);
    const [gx] = await onBoth(x);
    await expectGpuMatches(sum(gx, 0), sum(x, 0), 1e-4, 'sum over 300 rows');
  });

  it('transposes and permutes random shapes exactly', async () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        shapes.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray([...s.keys()], { minLength: s.length }))),
        async ([shape, axes]) => {
          const x = random(shape);
          const [gx] = await onBoth(x);
          await expectGpuMatches(
            permute(gx, axes),
            permute(x, axes),
            0,
            `permute ${JSON.stringify(shape)} by ${JSON.stringify(axes)}`,
          );
        },
      ),
      gpuRuns,
    );
    const m = random([37, 300]);
    await expectGpuMatches(transpose((await onBoth(m))[0]), transpose(m), 0, 'transpose [37, 300]');
  });

  it('runs on the GPU, not on the CPU behind its back', async () => {
    const before = gpuDispatchCount('binary');
    const [ga, gb] = await onBoth(random([3]), random([3]));
    add(ga, gb);
    expect(gpuDispatchCount('binary')).toBe(before + 1);
  });
});
