import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleChecks } from '../../grader/sandbox/bundle.js';
import { runCaseProcess } from '../../grader/sandbox/case-process.js';
import { FrameReader, MAX_FRAME_BYTES } from '../../grader/sandbox/protocol.js';
import { kitRoot } from './helpers.js';

describe('grader runner', () => {
  it('sends plain data and refuses Proxies, getters, toJSON tricks, class instances, cycles and functions', async () => {
    const bundle = await bundleChecks(kitRoot, [path.join(kitRoot, 'tests/grader/fixtures/not-data-cases.ts')], {
      kind: 'folder',
      root: path.join(kitRoot, 'solutions'),
    });
    if (!bundle.ok) throw new Error(JSON.stringify(bundle.errors));
    const frames: Array<{ t: string; id?: string; data?: unknown; error?: { name: string; message: string } }> = [];
    const run = runCaseProcess({
      code: bundle.code,
      config: { seed: 1, visibility: 'hidden', skip: ['NotData/hidden-throws-string'] },
      isolation: 'trusted',
      memoryBytes: 512 * 1024 * 1024,
      caseTimeoutMs: 20_000,
      deadline: Date.now() + 60_000,
      onFrame: (frame) => frames.push(frame as (typeof frames)[number]),
    });
    const end = await run.done;
    expect(end.code, end.output).toBe(0);
    const outcome = (id: string) =>
      frames.find((f) => f.id === `NotData/hidden-${id}` && (f.t === 'result' || f.t === 'error'));
    expect(outcome('plain')?.data).toEqual({ a: [1, NaN, Infinity, -Infinity], b: 'text', c: null, d: true });
    expect(outcome('proxy')?.error?.message).toMatch(/Proxy/);
    expect(outcome('getter')?.error?.message).toMatch(/getter/);
    expect(outcome('lying-json')?.error?.message).toMatch(/function, not data/);
    expect(outcome('class-instance')?.error?.message).toMatch(/with a class/);
    expect(outcome('cyclic')?.error?.message).toMatch(/refers back to itself/);
    expect(outcome('function')?.error?.message).toMatch(/function, not data/);
    expect(outcome('throws-string')).toBeUndefined(); // skipped as asked
    expect(frames.at(-1)?.t).toBe('done');
  }, 60_000);

  it('reports a file that does not compile with its path and line, without running anything', async () => {
    const files = new Map([['activations/relu.ts', 'export const broken = ;\n']]);
    const bundle = await bundleChecks(kitRoot, [path.join(kitRoot, 'tests/ex1/relu.test.ts')], {
      kind: 'memory',
      files,
    });
    expect(bundle.ok).toBe(false);
    if (!bundle.ok) expect(bundle.errors[0]).toMatchObject({ file: 'exercises/activations/relu.ts', line: 1 });
  });

  it('refuses imports outside framework/ and the submission', async () => {
    for (const [specifier, reason] of [
      ['../../solutions/activations/relu.js', /points outside framework\/ and exercises\//],
      ['../../grader/hidden/ex1/relu.js', /points outside/],
      ['vitest', /cannot be imported by a submission/],
      ['../layers/missing.js', /not among the submission's files/],
    ] as const) {
      const files = new Map([['activations/relu.ts', `export * from '${specifier}';\n`]]);
      const bundle = await bundleChecks(kitRoot, [path.join(kitRoot, 'tests/ex1/relu.test.ts')], {
        kind: 'memory',
        files,
      });
      expect(bundle.ok, specifier).toBe(false);
      if (!bundle.ok)
        expect(bundle.errors.map((e: { message: string }) => e.message).join(' '), specifier).toMatch(reason);
    }
  });

  it('has teeth: the file-reading sample does find files when run without the sandbox', async () => {
    const source = readFileSync(
      path.join(kitRoot, 'grader/samples/hostile-read-files/files/exercises/activations/relu.ts'),
      'utf8',
    );
    const bundle = await bundleChecks(kitRoot, [path.join(kitRoot, 'tests/ex1/relu.test.ts')], {
      kind: 'memory',
      files: new Map([['activations/relu.ts', source]]),
    });
    if (!bundle.ok) throw new Error(JSON.stringify(bundle.errors));
    const errors: string[] = [];
    const run = runCaseProcess({
      code: bundle.code,
      config: { seed: 0, visibility: 'public', skip: [] },
      isolation: 'trusted', // no sandbox at all: what the grader must never do with a submission
      memoryBytes: 512 * 1024 * 1024,
      caseTimeoutMs: 20_000,
      deadline: Date.now() + 60_000,
      onFrame: (frame) => {
        const f = frame as { t: string; error?: { message: string } };
        if (f.t === 'error' && f.error) errors.push(f.error.message);
      },
    });
    await run.done;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^LEAKED .*\/etc\/passwd: root:/);
  }, 60_000);

  it('refuses frames over the size limit', () => {
    const reader = new FrameReader();
    const header = Buffer.alloc(4);
    header.writeUInt32BE(MAX_FRAME_BYTES + 1);
    expect(reader.push(header).malformed).toMatch(/exceeds/);
  });
});
