import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../../tools/files.js';
import { loadKit, ownerIn } from '../../tools/kit.js';
import { kitRoot } from './fixture-kit.js';

/**
 * A student who breaks one component's file must not break another component's checks: a file of
 * solutions/ imports framework/ and the files of its own component, and another component's file only
 * where the course builds on it on purpose (listed below, with the reason). Code that several
 * components need and no student writes belongs in framework/ (framework/nn/optimizer-checks.ts,
 * initializer-checks.ts, adam-options.ts; framework/ops/scalar-sigmoid.ts).
 */
const buildsOn: Record<string, string> = {
  // Exercise 6 extends Exercise 2's layer: Conv calls the student's dilation arithmetic only when dilation ≠ 1.
  'layers/conv.ts → layers/dilated-kernel.ts': 'DilatedConv',
  // The handout has the student build multi-head attention from their own single-head attention.
  'layers/multi-head-self-attention.ts → layers/scaled-dot-product-attention.ts': 'ScaledDotProductAttention',
};
/** Components whose point is to put the student's other components together. */
const assemblers = new Set([
  'GpuTraining', // registers every WebGPU kernel the student wrote (kernels/index.ts)
  'ChallengeModel', // the challenge model is built from the student's own layers
]);

describe('tools component imports', () => {
  it("no file of solutions/ imports another component's file, except where the course builds on it on purpose", async () => {
    const kit = await loadKit(kitRoot);
    const solutions = path.join(kitRoot, 'solutions');
    const problems: string[] = [];
    for (const file of listFiles(solutions).filter((name) => name.endsWith('.ts'))) {
      const owner = ownerIn(kit.course, file);
      for (const [, specifier] of readFileSync(path.join(solutions, file), 'utf8').matchAll(
        /(?:from|import)\s+'(\.{1,2}\/[^']+)'/g,
      )) {
        const target = path.posix
          .normalize(path.posix.join(path.posix.dirname(file), specifier))
          .replace(/\.js$/, '.ts');
        if (target.startsWith('../')) continue; // framework/ (or anything else outside solutions/)
        const targetOwner = ownerIn(kit.course, target);
        if (targetOwner?.component === owner?.component) continue;
        const pair = `${file} → ${target}`;
        if (
          (buildsOn[pair] !== undefined && buildsOn[pair] === targetOwner?.component.name) ||
          assemblers.has(owner?.component.name ?? '')
        )
          continue;
        problems.push(
          `${pair}: ${owner?.component.name ?? 'no component'} imports a file of ${targetOwner?.component.name ?? 'no component'}; move what both need to framework/ (given code) or list the pair with its reason`,
        );
      }
    }
    expect(problems, `\n  ${problems.join('\n  ')}`).toEqual([]);
  });
});
