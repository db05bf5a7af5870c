import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { nicknameProblem } from '../../framework/challenge/nickname-rule.js';
import { exists, listFiles } from '../files.js';
import { hasGeneratedHeader } from '../generated.js';
import type { Kit } from '../kit.js';

/**
 * A student's submission: exactly the files the course manifest says a student owns, at their
 * paths in the project (`exercises/layers/fully-connected.ts`), plus `submission.json`:
 *   { schema: 1, studentId, kit: { name, version }, createdAt (ISO 8601), nickname? (the leaderboard's),
 *     files: [{ path, bytes, sha256 }] }   (files in manifest order)
 * Layout documented in docs/submission-format.md; the grader reads it.
 */
export interface SubmissionFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface SubmissionManifest {
  readonly schema: 1;
  readonly studentId: string;
  readonly kit: { readonly name: string; readonly version: string };
  readonly createdAt: string;
  /** The leaderboard name the student chose (framework/challenge/nickname-rule.ts); absent: an anonymous id. */
  readonly nickname?: string;
  readonly files: readonly SubmissionFile[];
}

export interface PackResult {
  /** The zip, or undefined when an owned file is missing (nothing is written then). */
  readonly zip?: Uint8Array;
  readonly manifest?: SubmissionManifest;
  /** Owned files that are not there. */
  readonly missing: readonly string[];
  /** Files in exercises/ that are neither owned nor given code: they will not be submitted. */
  readonly unexpected: readonly string[];
  /** Owned files that still contain a stub (informational). */
  readonly stubsLeft: readonly { readonly path: string; readonly count: number }[];
}

const studentIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function ownedFiles(kit: Kit): string[] {
  return kit.course.exercises.flatMap((exercise) =>
    exercise.components.flatMap((component) => component.files.map((file) => `exercises/${file}`)),
  );
}

export function packSubmission(kit: Kit, studentId: string, now: Date, nickname?: string): PackResult {
  if (!studentIdPattern.test(studentId)) {
    throw new Error(
      `Student id '${studentId}' is not valid: use letters, digits, '.', '_' or '-' (at most 64), e.g. --student s1234567`,
    );
  }
  const nicknameRefused = nickname === undefined ? undefined : nicknameProblem(nickname);
  if (nicknameRefused !== undefined)
    throw new Error(
      `Nickname '${JSON.stringify(nickname).slice(1, -1)}' is not valid: ${nicknameRefused}; e.g. --nickname "Ada's CNN"`,
    );
  const owned = ownedFiles(kit);
  const ownedSet = new Set(owned);
  const missing = owned.filter((file) => !exists(path.join(kit.root, file)));
  const unexpected = listFiles(path.join(kit.root, 'exercises'))
    .map((file) => `exercises/${file}`)
    .filter(
      (file) =>
        !ownedSet.has(file) &&
        file !== 'exercises/README.md' &&
        !hasGeneratedHeader(readFileSync(path.join(kit.root, file), 'utf8')),
    );
  const present = owned.filter((file) => !missing.includes(file));
  const stubsLeft = present
    .map((file) => ({
      path: file,
      count: (
        readFileSync(path.join(kit.root, file), 'utf8').match(
          /\bnew NotImplementedError\(|\bnotImplemented\(|dlkit:not-implemented/g,
        ) ?? []
      ).length,
    }))
    .filter((entry) => entry.count > 0);
  if (missing.length > 0) return { missing, unexpected, stubsLeft };

  const contents = new Map(owned.map((file) => [file, readFileSync(path.join(kit.root, file))]));
  const packageJson = JSON.parse(readFileSync(path.join(kit.root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const manifest: SubmissionManifest = {
    schema: 1,
    studentId,
    kit: { name: packageJson.name, version: packageJson.version },
    createdAt: now.toISOString(),
    ...(nickname !== undefined ? { nickname } : {}),
    files: owned.map((file) => ({
      path: file,
      bytes: contents.get(file)!.length,
      sha256: createHash('sha256').update(contents.get(file)!).digest('hex'),
    })),
  };
  const entries: Zippable = { 'submission.json': [strToU8(`${JSON.stringify(manifest, null, 2)}\n`), { mtime: now }] };
  for (const [file, data] of contents) entries[file] = [new Uint8Array(data), { mtime: now }];
  return { zip: zipSync(entries, { level: 6 }), manifest, missing, unexpected, stubsLeft };
}
