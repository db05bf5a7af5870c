import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binaryKernelNames, fromArray, runKernel, unaryKernelNames, type Tensor } from '../../framework/index.js';
import { binaryOpcodes, reduceOpcodes, unaryOpcodes, wgslOpcodeName } from '../../framework/webgpu/kernels/opcodes.js';
import { expectGpuMatches } from '../helpers/gpu-compare.js';
import { describeOnGpu, webgpuForTests } from '../helpers/webgpu.js';

/**
 * The framework's WGSL kernels pick their operation by an `override OP` number. The numbers are
 * declared in framework/webgpu/kernels/opcodes.ts and again, by name, in each .wgsl file
 * (`const OP_ADD_SCALAR = 9u;`): these checks keep the two in step, and on a GPU run every opcode
 * against its CPU kernel, so a number that names the wrong function fails here.
 */
const wgsl = (file: string): string =>
  readFileSync(new URL(`../../framework/webgpu/kernels/${file}`, import.meta.url), 'utf8');

/** `const OP_NAME = 3u;` lines of a WGSL source, as { OP_NAME: 3 }. */
function declaredOpcodes(source: string): Record<string, number> {
  return Object.fromEntries(
    [...source.matchAll(/^const (OP_\w+) = (\d+)u;/gm)].map(([, name, value]) => [name, Number(value)]),
  );
}

const tables = [
  { file: 'binary.wgsl', table: binaryOpcodes, name: 'binaryOpcodes' },
  { file: 'unary.wgsl', table: unaryOpcodes, name: 'unaryOpcodes' },
  { file: 'reduce.wgsl', table: reduceOpcodes, name: 'reduceOpcodes' },
];

describe('WebGPU opcodes: opcodes.ts and the .wgsl files', () => {
  it.each(tables)('$file declares exactly the opcodes of $name, with the same numbers', ({ file, table, name }) => {
    const expected = Object.fromEntries(Object.entries(table).map(([kernel, code]) => [wgslOpcodeName(kernel), code]));
    expect(
      declaredOpcodes(wgsl(file)),
      `${file}: its \`const OP_… = …u;\` lines must match ${name} in framework/webgpu/kernels/opcodes.ts (name: 'addScalar' ↔ OP_ADD_SCALAR)`,
    ).toEqual(expected);
  });

  it.each(tables)(
    '$file switches on the named opcodes only (no bare numbers), and every opcode has its case',
    ({ file, table }) => {
      const source = wgsl(file);
      expect(source, `${file} must choose its operation with \`override OP: u32\``).toMatch(/^override OP: u32/m);
      expect(
        source.match(/case\s+\d+u/g) ?? [],
        `${file}: a case must name its opcode (case OP_EXP), not repeat its number`,
      ).toEqual([]);
      const unused = Object.keys(table)
        .map(wgslOpcodeName)
        .filter((constant) => (source.match(new RegExp(`\\b${constant}\\b`, 'g')) ?? []).length < 2);
      // reduce.wgsl tells its two operations apart by OP == OP_MAX alone: the sum is the other branch.
      expect(
        unused.filter((constant) => constant !== 'OP_SUM'),
        `${file}: opcodes declared but never selected`,
      ).toEqual([]);
    },
  );

  it('the unary and binary tables cover every framework kernel of their kind, each number once', () => {
    expect(Object.keys(binaryOpcodes).sort()).toEqual([...binaryKernelNames].sort());
    expect(Object.keys(unaryOpcodes).sort()).toEqual([...unaryKernelNames, 'scale', 'addScalar', 'fill'].sort());
    for (const table of [binaryOpcodes, unaryOpcodes, reduceOpcodes]) {
      const codes = Object.values(table);
      expect(new Set(codes).size, `duplicate opcode in ${JSON.stringify(table)}`).toBe(codes.length);
    }
  });

  it("names the WGSL constant from the kernel's name", () => {
    expect(['neg', 'addScalar', 'maximum'].map(wgslOpcodeName)).toEqual(['OP_NEG', 'OP_ADD_SCALAR', 'OP_MAXIMUM']);
  });
});

const gpu = await webgpuForTests();

describeOnGpu(gpu, 'WebGPU opcodes on the device', () => {
  // Positive values away from 0, so log and sqrt are defined; a few negatives for neg, abs and sign.
  const x = fromArray([0.5, 1, 2.25, 4, 9.5]).asType('float32').asType('float64');
  const signed = fromArray([-2, -0.5, 0, 0.75, 3]);

  it.each(unaryKernelNames)('the unary opcode of %s computes what the CPU kernel does', async (name) => {
    const input = name === 'log' || name === 'sqrt' ? x : signed;
    const onGpu = runKernel(name, [await input.to('webgpu')]);
    await expectGpuMatches(
      onGpu,
      runKernel(name, [input]),
      1e-5,
      `${name} on the GPU (unary.wgsl, OP ${unaryOpcodes[name]}) against the CPU oracle`,
    );
  });

  it.each(binaryKernelNames)('the binary opcode of %s computes what the CPU kernel does', async (name) => {
    const a = fromArray([1.5, -2, 3, 0.25]);
    const b = fromArray([0.5, 4, -3, 2]);
    const onGpu: Tensor = runKernel(name, [await a.to('webgpu'), await b.to('webgpu')]);
    await expectGpuMatches(
      onGpu,
      runKernel(name, [a, b]),
      1e-6,
      `${name} on the GPU (binary.wgsl, OP ${binaryOpcodes[name]}) against the CPU oracle`,
    );
  });
});
