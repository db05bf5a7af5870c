import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FASHION_CLASS_NAMES, parseIdxLabels } from '../../framework/data/fashion-mnist.js';

/**
 * The challenge's hidden test set as the orchestrator holds it: the gzip-compressed IDX images exactly
 * as committed (the only part that is carried into the sandbox) and the labels (which never leave the
 * orchestrator). grader/challenge/data/ ships with the grader only, never in a handout
 * (tools/handout/handout-files.ts forbids grader/; tests/grader/challenge-data.test.ts checks it).
 */
export interface HiddenTestSet {
  /** test-images-idx3-ubyte.gz, bytes as committed: what the sandbox gets. */
  readonly imagesGzip: Uint8Array;
  /** One class index per image, from test-labels-idx1-ubyte.gz. */
  readonly labels: Uint8Array;
  readonly classNames: readonly string[];
}

export const HIDDEN_DATA_FOLDER = 'grader/challenge/data';
export const HIDDEN_IMAGES_FILE = 'test-images-idx3-ubyte.gz';
export const HIDDEN_LABELS_FILE = 'test-labels-idx1-ubyte.gz';

const loaded = new Map<string, HiddenTestSet>();

/** Reads (once per kit) grader/challenge/data's images and labels. */
export function hiddenTestSet(kitRoot: string): HiddenTestSet {
  const cached = loaded.get(kitRoot);
  if (cached) return cached;
  const folder = path.join(kitRoot, HIDDEN_DATA_FOLDER);
  const set: HiddenTestSet = {
    imagesGzip: readFileSync(path.join(folder, HIDDEN_IMAGES_FILE)),
    labels: parseIdxLabels(readFileSync(path.join(folder, HIDDEN_LABELS_FILE))),
    classNames: FASHION_CLASS_NAMES,
  };
  loaded.set(kitRoot, set);
  return set;
}

/**
 * A hash of the hidden test set's files as they are on disk now (not the copy `hiddenTestSet` keeps),
 * part of the grading plan's fingerprint: when an instructor replaces the hidden images or labels,
 * `--resume` grades every submission again instead of keeping accuracies measured on the old set.
 */
export function hiddenTestSetHash(kitRoot: string): string {
  const hash = createHash('sha256');
  for (const name of [HIDDEN_IMAGES_FILE, HIDDEN_LABELS_FILE]) {
    const file = path.join(kitRoot, HIDDEN_DATA_FOLDER, name);
    // A missing file is refused later, with its own message (checkChallengeData); here it only changes the hash.
    hash.update(name).update(existsSync(file) ? readFileSync(file) : 'missing');
  }
  return hash.digest('hex');
}
