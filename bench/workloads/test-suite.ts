import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cleanEnvironment } from '../../tools/checks/clean-environment.js';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Wall time of the whole test suite as a user runs it (`npx vitest run` from the repository root),
 * in a child process whose output goes to our stderr so stdout stays JSON, with the environment of a
 * fresh shell (`npm run bench`'s own npm variables left out).
 */
export function timeTestSuite(): Promise<{ wallSeconds: number; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('npx', ['vitest', 'run'], {
      cwd: repositoryRoot,
      stdio: ['ignore', process.stderr, process.stderr],
      env: cleanEnvironment(),
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ wallSeconds: (performance.now() - start) / 1000, exitCode }));
  });
}
