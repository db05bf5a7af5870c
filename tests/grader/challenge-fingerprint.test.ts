import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HIDDEN_DATA_FOLDER,
  HIDDEN_IMAGES_FILE,
  HIDDEN_LABELS_FILE,
  hiddenTestSetHash,
} from '../../grader/challenge/hidden-test-set.js';
import { kitRoot, temporaryFolder } from './helpers.js';

/**
 * The grading plan's fingerprint covers the challenge's hidden test set (grader/plan.ts): a report is
 * resumed only from a run on the same images and labels. Checked on a copy of the set, changed one byte
 * at a time.
 */
describe('the hidden test set in the fingerprint', () => {
  it('changes when an image or a label changes, and when a file is missing, without throwing', () => {
    const root = temporaryFolder('challenge-fingerprint');
    const folder = path.join(root, HIDDEN_DATA_FOLDER);
    mkdirSync(folder, { recursive: true });
    cpSync(path.join(kitRoot, HIDDEN_DATA_FOLDER), folder, { recursive: true });
    const original = hiddenTestSetHash(root);
    expect(original, "the copy hashes as the kit's set").toBe(hiddenTestSetHash(kitRoot));
    expect(hiddenTestSetHash(root), 'the same files, the same hash').toBe(original);

    writeFileSync(path.join(folder, HIDDEN_LABELS_FILE), 'other labels');
    const relabelled = hiddenTestSetHash(root);
    expect(relabelled, 'new labels must change the fingerprint').not.toBe(original);

    writeFileSync(path.join(folder, HIDDEN_IMAGES_FILE), 'other images');
    expect(hiddenTestSetHash(root), 'new images must change the fingerprint').not.toBe(relabelled);

    rmSync(path.join(folder, HIDDEN_IMAGES_FILE));
    expect(() => hiddenTestSetHash(root), 'a missing file is refused later, by checkChallengeData').not.toThrow();
  });
});
