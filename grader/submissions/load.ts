import { createHash } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { displayName, joinBytes } from './file-names.js';
import { matchOwnedFiles } from './match.js';
import { readFolder } from './read-folder.js';
import { readZip } from './zip.js';

/**
 * One student's submission, read into memory: the owned files it supplies (by their path under
 * exercises/), what was ignored and why, and what its submission.json declares (self-reported, shown
 * as such). Reading never executes anything and never writes the student's files anywhere.
 */
export interface Submission {
  /** The folder or zip name: the key of every output (the LMS names it, the student does not). */
  readonly id: string;
  readonly source: 'folder' | 'zip';
  /** Path under exercises/ → source text. */
  readonly files: ReadonlyMap<string, string>;
  readonly accepted: ReadonlyArray<{ readonly path: string; readonly from: string; readonly sha256: string }>;
  readonly ignored: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
  readonly declared: DeclaredMetadata | undefined;
  /** A hash of everything read (names and bytes): `--resume` grades a submission again when it changed. */
  readonly contentSha256?: string;
}

/** What `npm run pack-submission` writes in submission.json; every field is the student's word. */
export interface DeclaredMetadata {
  readonly student?: string;
  readonly kitVersion?: string;
  readonly timestamp?: string;
  /** The leaderboard name the student chose (grader/challenge/nickname.ts checks and escapes it). */
  readonly nickname?: string;
  readonly hashMismatches: readonly string[];
}

export interface SubmissionEntry {
  /** The folder or zip name as text (file-names.ts: bytes that are not UTF-8 shown as `\xNN`). */
  readonly id: string;
  /** Where it is, for messages. */
  readonly location: string;
  /** Where it is, as the exact bytes to open (a name need not be valid UTF-8). */
  readonly fsPath: Buffer;
  readonly source: 'folder' | 'zip';
}

/** The submissions in a folder: each subfolder and each .zip is one student; anything else is skipped. */
export function discoverSubmissions(folder: string): { entries: SubmissionEntry[]; skipped: string[] } {
  const entries: SubmissionEntry[] = [];
  const skipped: string[] = [];
  const root = Buffer.from(folder);
  for (const raw of readdirSync(root, { encoding: 'buffer' }).sort(Buffer.compare)) {
    const name = displayName(raw);
    if (name.startsWith('.')) continue;
    const fsPath = joinBytes(root, raw);
    const location = path.join(folder, name);
    const stat = lstatSync(fsPath);
    if (stat.isDirectory()) entries.push({ id: name, location, fsPath, source: 'folder' });
    else if (stat.isFile() && name.toLowerCase().endsWith('.zip'))
      entries.push({ id: name.slice(0, -4), location, fsPath, source: 'zip' });
    else skipped.push(name);
  }
  return { entries, skipped };
}

/** Reads one submission and keeps only the files among `ownedFiles` (paths relative to exercises/). */
export async function loadSubmission(entry: SubmissionEntry, ownedFiles: readonly string[]): Promise<Submission> {
  const ignored: Array<{ path: string; reason: string }> = [];
  const contents = entry.source === 'zip' ? await readZip(entry.fsPath) : readFolder(entry.fsPath);
  ignored.push(...contents.refused);
  const raw = new Map(contents.files);
  const contentSha256 = contentHash(contents);
  const metadataPath = [...raw.keys()]
    .filter((p) => p === 'submission.json' || p.endsWith('/submission.json'))
    .sort((a, b) => a.length - b.length)[0];
  const metadataBytes = metadataPath === undefined ? undefined : raw.get(metadataPath);
  if (metadataPath !== undefined) raw.delete(metadataPath);

  const match = matchOwnedFiles([...raw.keys()], ownedFiles);
  ignored.push(...match.ignored);
  const files = new Map<string, string>();
  const accepted: Array<{ path: string; from: string; sha256: string }> = [];
  for (const [owned, from] of [...match.accepted].sort(([a], [b]) => a.localeCompare(b))) {
    const bytes = raw.get(from) as Buffer;
    files.set(owned, bytes.toString('utf8'));
    accepted.push({ path: `exercises/${owned}`, from, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return {
    id: entry.id,
    source: entry.source,
    files,
    accepted,
    ignored,
    declared: metadataBytes ? readDeclared(metadataBytes, accepted) : undefined,
    contentSha256,
  };
}

function readDeclared(bytes: Buffer, accepted: ReadonlyArray<{ path: string; sha256: string }>): DeclaredMetadata {
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    json =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
  } catch {
    return { hashMismatches: ['submission.json is not valid JSON'] };
  }
  const text = (...keys: string[]): string | undefined => {
    for (const key of keys) if (typeof json[key] === 'string') return (json[key] as string).slice(0, 200);
    return undefined;
  };
  const hashMismatches: string[] = [];
  const declared = declaredHashes(json.files ?? json.hashes);
  for (const file of accepted) {
    const hash = declared.get(file.path);
    if (hash !== undefined && hash !== file.sha256 && hash !== `sha256:${file.sha256}`)
      hashMismatches.push(`${file.path} changed after it was packed`);
  }
  return {
    student: text('student', 'studentId', 'id'),
    kitVersion: text('kitVersion', 'kit'),
    timestamp: text('timestamp', 'createdAt', 'submittedAt'),
    nickname: text('nickname'),
    hashMismatches,
  };
}

/**
 * The hashes submission.json declares, as path → hash: `files` is an array of `{ path, sha256 }` (what
 * pack-submission writes) or an object of path → hash. Anything else in it (null, numbers, strings) is
 * the student's word and ignored: it must never make the submission unreadable.
 */
function declaredHashes(value: unknown): Map<string, string> {
  const hashes = new Map<string, string>();
  if (Array.isArray(value)) {
    for (const item of value) {
      const record =
        item !== null && typeof item === 'object' ? (item as { path?: unknown; sha256?: unknown }) : undefined;
      if (typeof record?.path === 'string' && typeof record.sha256 === 'string') hashes.set(record.path, record.sha256);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [file, hash] of Object.entries(value as Record<string, unknown>))
      if (typeof hash === 'string') hashes.set(file, hash);
  }
  return hashes;
}

/** sha256 over every file read (name and bytes) and every refused name, in a fixed order. */
function contentHash(contents: {
  readonly files: ReadonlyMap<string, Buffer>;
  readonly refused: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
}): string {
  const hash = createHash('sha256');
  for (const [name, bytes] of [...contents.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    hash.update(`file\0${name}\0${bytes.length}\0`).update(bytes);
  for (const { path: name, reason } of contents.refused) hash.update(`refused\0${name}\0${reason}\0`);
  return hash.digest('hex');
}
