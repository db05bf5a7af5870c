import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { HIDDEN_DATA_FOLDER, HIDDEN_IMAGES_FILE, HIDDEN_LABELS_FILE } from '../../grader/challenge/hidden-test-set.js';
import { buildHandout } from '../../tools/handout/build-handout.js';
import { forbiddenHandoutPaths } from '../../tools/handout/handout-files.js';
import { loadKit } from '../../tools/kit.js';
import { kitRoot, temporaryFolder } from './helpers.js';

/**
 * The challenge's hidden test set (grader/challenge/data: its images and, above all, its labels) is in
 * no student handout, under any name: a handout is built from this kit and every file in it is compared,
 * by content, with the hidden files, compressed and uncompressed. (tools/handout/handout-files.ts keeps
 * grader/ out by its whitelist and `forbiddenHandoutPaths`; this checks the result, not the lists.)
 */
let handout: string;
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  handout = path.join(temporaryFolder('challenge-handout'), 'handout');
  buildHandout(await loadKit(), handout);
}, 120_000);

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('the hidden test set and a handout', () => {
  it('has no file of the hidden test set, by path or by content (gzip-compressed or not)', () => {
    const hidden = new Map<string, string>();
    for (const name of [HIDDEN_IMAGES_FILE, HIDDEN_LABELS_FILE]) {
      const bytes = readFileSync(path.join(kitRoot, HIDDEN_DATA_FOLDER, name));
      hidden.set(sha256(bytes), name);
      hidden.set(sha256(gunzipSync(bytes)), `${name} (uncompressed)`);
    }
    const files = filesUnder(handout);
    expect(files.length, 'the handout has files').toBeGreaterThan(50);
    const found = files
      .filter((file) => hidden.has(sha256(readFileSync(file))))
      .map((file) => `${path.relative(handout, file)} = ${hidden.get(sha256(readFileSync(file)))}`);
    expect(found, 'handout files with the hidden test set inside').toEqual([]);
    const relative = files.map((file) => path.relative(handout, file).split(path.sep).join('/'));
    expect(relative.filter((file) => file.startsWith('grader/') || /test-(images|labels)-idx/.test(file))).toEqual([]);
    expect(forbiddenHandoutPaths).toContain('grader');
    // The student's own Fashion-MNIST files are there: the check above is not vacuous about data/.
    expect(relative).toContain('data/fashion-mnist/validation-labels-idx1-ubyte.gz');
  });
});
