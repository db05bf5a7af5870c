import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { matchOwnedFiles, toPosix } from './match.js';
import { MAX_FILE_BYTES, readZip } from './zip.js';

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
}

/** What `npm run pack-submission` writes in submission.json; every field is the student's word. */
export interface DeclaredMetadata {
  readonly student?: string;
  readonly kitVersion?: string;
  readonly timestamp?: string;
  readonly hashMismatches: readonly string[];
}

export interface SubmissionEntry {
  readonly id: string;
  readonly location: string;
  readonly source: 'folder' | 'zip';
}

/** The submissions in a folder: each subfolder and each .zip is one student; anything else is skipped. */
export function discoverSubmissions(folder: string): { entries: SubmissionEntry[]; skipped: string[] } {
  const entries: SubmissionEntry[] = [];
  const skipped: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    if (name.startsWith('.')) continue;
    const location = path.join(folder, name);
    const stat = lstatSync(location);
    if (stat.isDirectory()) entries.push({ id: name, location, source: 'folder' });
    else if (stat.isFile() && name.toLowerCase().endsWith('.zip')) entries.push({ id: name.slice(0, -4), location, source: 'zip' });
    else skipped.push(name);
  }
  return { entries, skipped };
}

/** Every regular file below `root` (symbolic links are reported, never followed). */
function walk(root: string, ignored: Array<{ path: string; reason: string }>): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const visit = (directory: string): void => {
    for (const name of readdirSync(directory).sort()) {
      const full = path.join(directory, name);
      const relative = toPosix(path.relative(root, full));
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) ignored.push({ path: relative, reason: 'refused: it is a symbolic link' });
      else if (stat.isDirectory()) visit(full);
      else if (!stat.isFile()) ignored.push({ path: relative, reason: 'refused: not a regular file' });
      else if (stat.size > MAX_FILE_BYTES) ignored.push({ path: relative, reason: `refused: larger than ${MAX_FILE_BYTES} bytes` });
      else files.set(relative, readFileSync(full));
    }
  };
  visit(root);
  return files;
}

/** Reads one submission and keeps only the files among `ownedFiles` (paths relative to exercises/). */
export async function loadSubmission(entry: SubmissionEntry, ownedFiles: readonly string[]): Promise<Submission> {
  const ignored: Array<{ path: string; reason: string }> = [];
  let raw: Map<string, Buffer>;
  if (entry.source === 'zip') {
    const zip = await readZip(entry.location);
    ignored.push(...zip.refused);
    raw = new Map(zip.files);
  } else {
    raw = walk(entry.location, ignored);
  }
  const metadataPath = [...raw.keys()].filter((p) => p === 'submission.json' || p.endsWith('/submission.json')).sort((a, b) => a.length - b.length)[0];
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
  return { id: entry.id, source: entry.source, files, accepted, ignored, declared: metadataBytes ? readDeclared(metadataBytes, accepted) : undefined };
}

function readDeclared(bytes: Buffer, accepted: ReadonlyArray<{ path: string; sha256: string }>): DeclaredMetadata {
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    json = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return { hashMismatches: ['submission.json is not valid JSON'] };
  }
  const text = (...keys: string[]): string | undefined => {
    for (const key of keys) if (typeof json[key] === 'string') return (json[key] as string).slice(0, 200);
    return undefined;
  };
  const hashMismatches: string[] = [];
  const hashes = json.files ?? json.hashes;
  if (hashes !== null && typeof hashes === 'object') {
    const declared = Array.isArray(hashes)
      ? new Map((hashes as Array<{ path?: unknown; sha256?: unknown }>).map((h) => [String(h.path), String(h.sha256)]))
      : new Map(Object.entries(hashes as Record<string, unknown>).map(([p, h]) => [p, String(h)]));
    for (const file of accepted) {
      const hash = declared.get(file.path);
      if (hash !== undefined && hash !== file.sha256 && hash !== `sha256:${file.sha256}`) hashMismatches.push(`${file.path} changed after it was packed`);
    }
  }
  return { student: text('student', 'studentId', 'id'), kitVersion: text('kitVersion', 'kit'), timestamp: text('timestamp', 'createdAt', 'submittedAt'), hashMismatches };
}
