import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExercises, writeExercises } from '../../tools/generate.js';
import { exists } from '../../tools/files.js';
import { loadKit, type Kit } from '../../tools/kit.js';

/** The kit this test file belongs to. */
export const kitRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What a fixture kit takes from the real one: everything but the course itself. */
const fromKit = [
  'framework',
  'tools',
  'data',
  'tests/harness',
  'tests/helpers',
  'tests/setup',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'vitest.config.ts',
  'docs/student-guide.md',
  'docs/submission-format.md',
];

/**
 * A temp copy of the kit whose course is tests/fixtures/mini-course (two exercises, every marker kind),
 * with node_modules linked to the kit's and exercises/ generated. `cleanup()` removes it.
 */
export async function createFixtureKit(): Promise<Kit & { cleanup(): void }> {
  const root = mkdtempSync(path.join(tmpdir(), 'dlkit-fixture-'));
  for (const item of fromKit)
    if (exists(path.join(kitRoot, item))) cpSync(path.join(kitRoot, item), path.join(root, item), { recursive: true });
  cpSync(path.join(kitRoot, 'tests/fixtures/mini-course'), root, { recursive: true });
  symlinkSync(path.join(kitRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const kit = await loadKit(root);
  writeExercises(kit, generateExercises(kit));
  return { ...kit, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A kit value for the pure transforms: the fixture's course, no files needed. */
export async function fixtureCourseKit(): Promise<Kit> {
  return loadKit(path.join(kitRoot, 'tests/fixtures/mini-course'));
}
