import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The kit's longest test files, longest first (seconds on a 2-core machine: `npx vitest run` prints
 * them). They grade or run whole courses, or type-check the kit. vitest orders files by the durations
 * it cached on an earlier run, and by file size without a cache; on a fresh clone (CI) these small files
 * would start last and run alone at the end, about two minutes after everything else has finished.
 */
const LONGEST_FIRST = [
  'tests/grader/scoreboard-equals-grade.test.ts',
  'tests/grader/samples.test.ts',
  'tests/grader/scoreboard-equals-grade-samples.test.ts',
  'tests/tools/handout.test.ts',
  'tests/grader/cli.test.ts',
  'tests/framework/typecheck.test.ts',
  'tests/tools/kit-handout-run.test.ts',
  'tests/tools/kit-handout-typecheck.test.ts',
  'tests/grader/temp-folders.test.ts',
  'tests/tools/fixture-checks.test.ts',
  'tests/grader/cli-inputs.test.ts',
  'tests/tools/playground.test.ts',
  'tests/grader/challenge-samples.test.ts',
  'tests/tools/kit-checks.test.ts',
  'tests/tools/fixture-runs.test.ts',
  'tests/grader/batch-guards.test.ts',
];

/** vitest's own order, with the files above moved to the front so that the short ones fill in around them. */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const rank = (file: TestSpecification): number => {
      const index = LONGEST_FIRST.indexOf(
        path.relative(file.project.config.root, file.moduleId).split(path.sep).join('/'),
      );
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the other files keep vitest's order.
    return ordered.sort((a, b) => rank(a) - rank(b));
  }
}
