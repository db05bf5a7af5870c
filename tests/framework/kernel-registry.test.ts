import { describe, expect, it } from 'vitest';
import {
  activeKernelSets,
  defineKernelSet,
  dispatchCount,
  fromArray,
  hasKernel,
  neg,
  registerKernel,
  registerKernels,
  resetDispatchCounts,
  runKernel,
  StateError,
  tensor,
  ValueError,
  withKernels,
  type KernelName,
  type Tensor,
} from '../../framework/index.js';

/**
 * The kernel registry's rules (framework/backend/kernel-registry.ts): a (kernel, backend) pair is
 * registered once unless a replacement is asked for, and other kernels run only inside a scope that
 * ends with its call, however the call ends.
 */
const values = (t: Tensor): number[] => Array.from(t.data);
const THIS_FILE = 'tests/framework/kernel-registry.test.ts';

/** A kernel set whose 'neg' tags its result, so a test can see which 'neg' ran. */
const tagged = (tag: number) =>
  defineKernelSet(`neg tagged ${tag}`, 'cpu', { neg: ([x]) => fromArray(Array.from(x.data, () => tag)) });

describe('kernel registry: registering', () => {
  it('refuses a second registration of the same (kernel, backend), naming both places', () => {
    // 'attentionScores' has no CPU kernel, so this file is its first registration on 'cpu'.
    registerKernel('attentionScores', 'cpu', ([q]) => q);
    let message = '';
    try {
      registerKernel('attentionScores', 'cpu', ([, k]) => k);
    } catch (error) {
      expect(error).toBeInstanceOf(StateError);
      message = (error as Error).message;
    }
    const places = new RegExp(
      `already registered for 'cpu' \\(at ${THIS_FILE}:(\\d+)\\); registering it again \\(at ${THIS_FILE}:(\\d+)\\)`,
    );
    const [, first, second] = places.exec(message) ?? [];
    expect(message, 'the error names the first registration and the second, file and line').toMatch(places);
    expect(Number(first)).toBeLessThan(Number(second));
    expect(message).toContain('{ replace: true }');
    const q = tensor([1, 2], [1, 1, 2]);
    expect(
      values(runKernel('attentionScores', [q, tensor([3, 4], [1, 1, 2])])),
      'the first registration stays in place',
    ).toEqual([1, 2]);
  });

  it('names the framework module that registered a framework kernel', () => {
    expect(() => registerKernel('neg', 'cpu', ([x]) => x)).toThrow(
      /'neg' is already registered for 'cpu' \(at framework\/ops\/cpu\/register\.ts:\d+\)/,
    );
    expect(values(neg(fromArray([2]))), "the framework's neg still runs").toEqual([-2]);
  });

  it('replaces on purpose with { replace: true }, keeping the dispatch count', () => {
    registerKernel('conv2dBackwardBias', 'cpu', ([g]) => g);
    resetDispatchCounts();
    runKernel('conv2dBackwardBias', [fromArray([1])]);
    registerKernels(
      'cpu',
      { conv2dBackwardBias: ([g]) => fromArray(Array.from(g.data, (v) => 10 * v)) },
      { replace: true },
    );
    expect(values(runKernel('conv2dBackwardBias', [fromArray([1])]))).toEqual([10]);
    expect(dispatchCount('conv2dBackwardBias', 'cpu')).toBe(2);
  });

  it('refuses a name that is not declared, from code the compiler did not check', () => {
    const undeclared = 'reluu' as KernelName;
    expect(() => registerKernel(undeclared, 'cpu', ([x]) => x)).toThrow(
      new ValueError(
        "'reluu' is not a declared kernel: declare its inputs and attributes in framework/backend/kernels.ts first",
      ),
    );
    expect(hasKernel(undeclared, 'cpu')).toBe(false);
  });

  it('refuses the wrong number of tensors, naming the ones the kernel takes', () => {
    const x = fromArray([1]);
    const tooMany = [x, x] as unknown as readonly [Tensor];
    expect(() => runKernel('neg', tooMany)).toThrow(new ValueError("Kernel 'neg' takes 1 tensors [x], got 2"));
  });
});

describe('kernel registry: withKernels scopes', () => {
  const x = fromArray([1, 2]);

  it('runs the scoped kernels inside the call only, and counts them under the same (kernel, backend)', () => {
    resetDispatchCounts();
    const inside = withKernels(tagged(7), () => values(neg(x)));
    expect(inside).toEqual([7, 7]);
    expect(values(neg(x)), 'after the call, the registered kernel again').toEqual([-1, -2]);
    expect(dispatchCount('neg', 'cpu')).toBe(2);
    expect(activeKernelSets()).toEqual([]);
  });

  it('restores the registered kernels when the body throws', () => {
    expect(() =>
      withKernels(tagged(7), () => {
        expect(values(neg(x))).toEqual([7, 7]);
        throw new Error('a failing training run');
      }),
    ).toThrow('a failing training run');
    expect(values(neg(x))).toEqual([-1, -2]);
    expect(activeKernelSets()).toEqual([]);
  });

  it('nests: the innermost scope wins, and each scope ends with its own call', () => {
    const seen = withKernels(tagged(1), () => [
      values(neg(x))[0],
      withKernels(tagged(2), () => values(neg(x))[0]),
      values(neg(x))[0],
    ]);
    expect(seen).toEqual([1, 2, 1]);
  });

  it('leaves kernels the set does not name, and other backends, to the registry', () => {
    const cpuOnly = withKernels(tagged(3), () => values(runKernel('exp', [fromArray([0])])));
    expect(cpuOnly).toEqual([1]);
    const onGpu = defineKernelSet('neg on webgpu', 'webgpu', { neg: ([t]) => t });
    expect(
      withKernels(onGpu, () => values(neg(x))),
      'a WebGPU set does not touch CPU tensors',
    ).toEqual([-1, -2]);
  });

  it('refuses an async body (a scope across an await would leak to other work) and still ends the scope', () => {
    const body = async (): Promise<number> => 1;
    expect(() => withKernels(tagged(4), body)).toThrow(StateError);
    expect(activeKernelSets()).toEqual([]);
    expect(values(neg(x))).toEqual([-1, -2]);
  });
});
