import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './tools/checks/longest-first-sequencer.js';
import { testProjects } from './tests/setup/test-projects.js';
import ScoreboardReporter from './tools/scoreboard/reporter.js';

/**
 * Tests import the implementation under test through the `#impl` alias.
 * DLKIT_IMPL=exercises points it at the generated stubs (what a student works on);
 * the default, solutions, is the reference (what the kit's own CI checks).
 * After vitest's own output the scoreboard (tools/scoreboard) sums up the exercise tests.
 */
const requested = process.env.DLKIT_IMPL ?? 'solutions';
const implementation = requested === 'exercises' ? 'exercises' : 'solutions';
/** A folder path in DLKIT_IMPL (a bugged variant written by tests/bugged/write-variant.ts) is used as it is. */
const implementationFolder =
  requested !== 'exercises' && requested !== 'solutions'
    ? `${path.resolve(requested)}/`
    : fileURLToPath(new URL(`./${implementation}/`, import.meta.url));
const projects = testProjects(fileURLToPath(new URL('.', import.meta.url)));

export default defineConfig({
  resolve: {
    alias: [{ find: /^#impl\//, replacement: implementationFolder }],
  },
  test: {
    // A small course the tool tests copy into a temp folder; its tests run there, not here.
    exclude: ['tests/fixtures/**', '**/node_modules/**'],
    // The component checks share modules per worker; the kit's own tests get fresh ones per file
    // (tests/setup/test-projects.ts says why).
    projects: [
      { extends: true, test: { name: 'checks', include: projects.shared, exclude: projects.isolated, isolate: false } },
      { extends: true, test: { name: 'isolated', include: projects.isolated, isolate: true } },
    ],
    pool: 'forks',
    sequence: { sequencer: LongestFirstSequencer },
    // vitest's default is one worker fewer than the cores: on a 2-core machine one test file at a time,
    // while the kit's grader and handout tests spend much of their time waiting on the processes they
    // start. One worker per core (at least two) lets those waits overlap with other files.
    maxWorkers: Math.max(2, availableParallelism()),
    // Prints the WebGPU adapter once per run (or why the GPU tests skip).
    globalSetup: ['tests/setup/webgpu-adapter.ts'],
    testTimeout: 60_000,
    reporters: ['default', new ScoreboardReporter({ implementation })],
  },
});
