import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stubSource } from '../../grader/samples/build-samples.js';
import { kitRoot, temporaryFolder } from './helpers.js';

/**
 * The stubs a sample submission (and the similarity report's given code) start from: exercises/ where
 * it exists, else the stub tool's own output from the solution, the very text `npm run stubs` writes.
 */
describe('grader sample stubs', () => {
  it('without exercises/, a stub is what the stub tool generates, header and all', () => {
    const root = temporaryFolder('sample-stubs');
    for (const file of ['activations/relu.ts', 'kernels/relu.wgsl']) {
      cpSync(path.join(kitRoot, 'solutions', file), path.join(root, 'solutions', file));
      expect(stubSource(root, file), `${file} stubbed without exercises/`).toBe(
        readFileSync(path.join(kitRoot, 'exercises', file), 'utf8'),
      );
    }
  });

  it('refuses a file that no component owns', () => {
    expect(() => stubSource(temporaryFolder('sample-stubs'), 'layers/not-a-component.ts')).toThrow(
      /not an owned file of the course/,
    );
  });
});
