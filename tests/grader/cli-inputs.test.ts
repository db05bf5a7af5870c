import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSamples } from '../../grader/samples/build-samples.js';
import { cleanEnvironment } from '../../tools/checks/clean-environment.js';
import { kitRoot, TEST_SEED, temporaryFolder } from './helpers.js';

/**
 * The CLI's own lines (issue 17, items 7 and 8): a wrong input is one clear line and exit code 2, never
 * a stack trace; a student id made of terminal escapes prints inert.
 */
function cli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'grader/cli.ts', ...args], {
      cwd: kitRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnvironment(),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('grader CLI inputs', () => {
  it('answers wrong inputs with one clear line and exit code 2', async () => {
    const root = temporaryFolder('cli-inputs');
    const file = path.join(root, 'file.txt');
    writeFileSync(file, 'x');
    mkdirSync(path.join(root, 'in'));
    for (const [args, message] of [
      [[file, '--out', path.join(root, 'out')], /is a file, not a folder of submissions/],
      [[path.join(root, 'in'), '--out', file], /--out .* is a file: pass a folder/],
      [
        [path.join(root, 'in'), '--out', path.join(root, 'out'), '--submitted-at', path.join(root, 'none.csv')],
        /--submitted-at: no such file/,
      ],
    ] as const) {
      const run = await cli([...args]);
      expect(run.code, run.output).toBe(2);
      expect(run.output).toMatch(message);
      expect(run.output, 'no stack trace').not.toMatch(/^\s+at /m);
    }
  }, 120_000);

  it('prints a student id made of terminal escapes inert', async () => {
    const root = temporaryFolder('cli-escapes');
    const submissions = await buildSamples(kitRoot, path.join(root, 'submissions'));
    const id = '\u001b[2J\u001b[Hgraded alice: 150 \u2215 150\u0007\r-evil';
    const run = await cli([
      submissions,
      '--out',
      path.join(root, 'out'),
      '--seed',
      String(TEST_SEED),
      '--exercise',
      'ex1',
      '--only',
      id,
      '--case-timeout',
      '3',
      '--file-timeout',
      '6',
    ]);
    expect(run.code, run.output).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the output must hold no raw control characters
    expect(run.output).not.toMatch(/[\u0000\u0007\u001b\r]/);
    expect(run.output).toContain('graded \\x1b[2J\\x1b[Hgraded alice');
  }, 300_000);
});
