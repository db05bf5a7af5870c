import { describe, expect, it } from 'vitest';
import {
  kernelDeclarations,
  kernelNames,
  kernelsImplementedBy,
  registeredKernels,
  type Device,
} from '../../framework/index.js';
import '../../framework/webgpu/index.js';
// Every module that registers kernels: the exercise components (CPU) and the exercise kernels (WebGPU).
// Registering needs no GPU; stubs register too (their kernels throw NotImplementedError when run).
import '#impl/activations/relu.js';
import '#impl/activations/softmax.js';
import '#impl/activations/sigmoid.js';
import '#impl/activations/tanh.js';
import '#impl/layers/max-pool.js';
import '#impl/layers/conv2d-kernels.js';
import { fastConvKernels } from '#impl/layers/conv2d-fast.js';
import '#impl/kernels/index.js';
import '#impl/kernels/attention-scores.js';

/**
 * framework/backend/kernels.ts declares every kernel and who implements it; the types keep each call
 * honest, and this keeps the declaration honest: what the kit registers on each backend is exactly
 * what is declared for it, no kernel missing and none undeclared.
 */
const registeredOn = (backend: Device): string[] =>
  registeredKernels()
    .filter((key) => key.endsWith(`@${backend}`))
    .map((key) => key.slice(0, -backend.length - 1))
    .sort();

describe('kernel declarations against the registrations', () => {
  it.each(['cpu', 'webgpu'] as const)('the kernels registered for %s are exactly those declared for it', (backend) => {
    expect(
      registeredOn(backend),
      `registered for '${backend}' (left) against implementedBy in framework/backend/kernels.ts (right)`,
    ).toEqual(kernelsImplementedBy(backend));
  });

  it("the CPU fast path (conv2d-fast.ts's kernel set) holds exactly the kernels declared for cpuFast", () => {
    expect(fastConvKernels.backend).toBe('cpu');
    expect([...fastConvKernels.kernels.keys()].sort()).toEqual(kernelsImplementedBy('cpuFast'));
  });

  it('every kernel has at least one implementation, and a fast path only beside a CPU oracle', () => {
    for (const name of kernelNames) {
      const { implementedBy } = kernelDeclarations[name];
      expect(implementedBy.length, `${name} declares no implementation`).toBeGreaterThan(0);
      if (implementedBy.includes('cpuFast'))
        expect(implementedBy, `${name}: a fast path is checked against the CPU oracle`).toContain('cpu');
    }
  });
});
