import path from 'node:path';
import { bundleChecks } from '../sandbox/bundle.js';
import { runCaseProcess } from '../sandbox/case-process.js';
import { probeIsolation } from '../sandbox/isolation.js';
import type { ErrorData } from '../sandbox/protocol.js';

/**
 * Whether the students' sandbox (the isolation this machine offers) gets a WebGPU adapter: runs
 * grader/sandbox/webgpu-probe.ts there as a WebGPU component. Undefined when it does, else why not.
 */
export async function probeWebGpu(kitRoot: string): Promise<string | undefined> {
  const bundle = await bundleChecks(
    kitRoot,
    [path.join(kitRoot, 'grader/sandbox/webgpu-probe.ts')],
    { kind: 'folder', root: path.join(kitRoot, 'solutions') },
    { webgpu: true },
  );
  if (!bundle.ok) return `the probe does not build: ${bundle.errors.map((e) => e.message).join('; ')}`;
  let adapter: string | undefined;
  let problem: string | undefined;
  const run = runCaseProcess({
    code: bundle.code,
    config: { seed: 0, visibility: 'hidden', skip: [] },
    isolation: probeIsolation(),
    memoryBytes: 1024 * 1024 * 1024,
    caseTimeoutMs: 60_000,
    deadline: Date.now() + 60_000,
    webgpu: true,
    onFrame: (frame) => {
      const f = frame as { t: string; data?: unknown; error?: ErrorData };
      if (f.t === 'result' && typeof f.data === 'string') adapter = f.data;
      else if (f.t === 'error' || f.t === 'load-error') problem = `${f.error?.name}: ${f.error?.message}`;
    },
  });
  const end = await run.done;
  if (adapter !== undefined) return undefined;
  return (
    problem ??
    `the probe process ended without an answer (${end.killed?.detail ?? `exit ${end.code}`}): ${end.output.trim().slice(-300)}`
  );
}
