/**
 * What a student handout holds, besides what the builder writes itself (package.json,
 * package-lock.json, tsconfig.json, vitest.config.ts, README.md, .gitignore, tools/README.md).
 * Whitelists, so a new folder in the kit (grader internals, hidden tests, solutions) stays out
 * unless someone decides to hand it out.
 */
export const handoutFolders = [
  'framework',
  'exercises',
  'data',
  'tests/harness',
  'tests/helpers',
  'tests/setup',
  'docs/exercises',
  'tools/playground',
] as const;

/** Copied when the kit has them (docs written by other issues may not exist yet). */
export const optionalHandoutFiles = [
  'docs/conventions.md',
  'docs/student-guide.md',
  'docs/submission-format.md',
] as const;

/** The tools a student runs: the scoreboard (npm test) and pack-submission, with what they import. */
export const handoutTools = [
  'course/course.ts',
  'tools/kit.ts',
  'tools/files.ts',
  'tools/generated.ts',
  'tools/pack-submission.ts',
  'tools/submission/pack.ts',
  'tools/scoreboard/reporter.ts',
  'tools/scoreboard/test-records.ts',
  'tools/scoreboard/score.ts',
  'tools/scoreboard/format.ts',
  // Exercise 7: `npm run challenge:train` and `npm run challenge:evaluate` on the student's own model.
  'scripts/challenge/train.ts',
  'scripts/challenge/evaluate.ts',
  'scripts/challenge/implementation.ts',
  'scripts/challenge/validation-accuracy.ts',
] as const;

/**
 * The npm packages a handout needs (the tests, the type-check, the WebGPU runtime of Exercise 5, the
 * scoreboard and pack-submission, the playground's bundler and charts, the challenge's progress bar), at the kit's versions. Not the kit's whole list: packages only the
 * benchmarks or the grader use stay out of a student's install. Optional: listed when the kit has them.
 */
export const handoutPackages = [
  '@types/node',
  'chart.js',
  'cli-progress',
  'esbuild',
  'fast-check',
  'fflate',
  'tsx',
  'typescript',
  'vitest',
] as const;
export const optionalHandoutPackages = ['@webgpu/types', 'webgpu'] as const;

/** The vitest globalSetup files a handout keeps (the WebGPU adapter line), when the kit has them. */
export const handoutGlobalSetup = ['tests/setup/webgpu-adapter.ts'] as const;

/** Never in a handout, whatever the lists above say (checked after the build). */
export const forbiddenHandoutPaths = [
  'solutions',
  'grader',
  'tools/stub',
  'tools/checks',
  'tools/handout',
  'tests/tools',
  'tests/fixtures',
] as const;
