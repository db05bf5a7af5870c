import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('framework type-check', () => {
  it('the whole kit (framework, solutions, tests, scripts) passes tsc --noEmit in strict mode', () => {
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [`${root}node_modules/typescript/bin/tsc`, '--noEmit', '-p', `${root}tsconfig.json`],
        { encoding: 'utf8', stdio: 'pipe' },
      );
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output, 'TypeScript errors (run `npm run typecheck` to see them)').toBe('');
  }, 120_000);
});
