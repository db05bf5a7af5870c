import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { course } from '../../course/course.js';
import { stubSource as generateStub } from '../../tools/stub/pipeline.js';
import { displayName, joinBytes } from '../submissions/file-names.js';
import { writeZip, type ZipEntry } from './write-zip.js';

/**
 * Turns the sample recipes in grader/samples/<name>/ into real submissions (a folder or a .zip per
 * student) in `target`. A recipe (sample.json) starts from a base — the reference (solutions/), the
 * untouched stubs (exercises/ when the stub tool has generated it, otherwise the stub tool's output for
 * the solution) or nothing — then lays the files under <name>/files/ over it. Recipes keep the
 * samples small and let them follow solutions/ as it changes; `expect` in each recipe is what the
 * grader's own tests assert about its report.
 */
export interface SampleRecipe {
  readonly description: string;
  readonly base: 'reference' | 'stubs' | 'none';
  /** Over a stubs base: these owned files (relative to exercises/) come from the reference instead. */
  readonly fromReference?: readonly string[];
  /** Owned files (relative to exercises/) left out of the submission. */
  readonly omit?: readonly string[];
  /** 'kit': files at exercises/<path> (pack-submission's layout); 'flat': just the file names (an LMS upload). */
  readonly layout?: 'kit' | 'flat';
  /** The submission's name (the LMS's folder name) when it differs from the recipe folder's. */
  readonly submissionName?: string;
  /** The submission's name as raw bytes in hex, for names that are not valid UTF-8. */
  readonly submissionNameHex?: string;
  /** Extra files at the submission's root whose names are raw bytes in hex (not valid UTF-8). */
  readonly rawNamedFiles?: ReadonlyArray<{ readonly nameHex: string; readonly text: string }>;
  /** Appends `before`, `repeat` × `times`, `after` to one of the submission's files (input too big to keep in the repository). */
  readonly appendRepeated?: {
    readonly file: string;
    readonly before: string;
    readonly repeat: string;
    readonly times: number;
    readonly after: string;
  };
  /** Write the zip cut off halfway (a damaged download). */
  readonly truncateZip?: boolean;
  /** Pack as <name>.zip; `zipExtras` adds raw entries (hostile names, symlinks). */
  readonly zip?: boolean;
  readonly zipExtras?: ReadonlyArray<{ readonly name: string; readonly text?: string; readonly symlinkTo?: string }>;
  /** Written as submission.json. */
  readonly submissionJson?: Record<string, unknown>;
  /**
   * The challenge's model and weights (course/course.ts, `challenge`): left out unless asked for, since
   * scoring the hidden test set costs tens of seconds per sample. 'reference': solutions/'s strong model
   * and its trained weights; 'baseline': the stub tool's exercises/challenge/model.ts with the committed
   * baseline weights (grader/challenge/baseline/weights.json). Files under files/ still override them.
   */
  readonly challenge?: 'reference' | 'baseline';
  readonly expect: SampleExpectation;
}

/** What the grader's tests assert about a sample's report. */
export interface SampleExpectation {
  /** 'full', 'zero' or an exact number of points. */
  readonly total?: 'full' | 'zero' | number;
  /** Per component name: 'full', 'zero', or an array of the case statuses that must all appear. */
  readonly components?: Readonly<Record<string, 'full' | 'zero'>>;
  /**
   * `Component/<start of a check id>` → status (alternatives with `|`): some check of the component whose
   * id starts so ends with that status. Hidden checks' ids start with `rerun-` or `hidden-`.
   */
  readonly cases?: Readonly<Record<string, string>>;
  /** Substrings that must appear in some case reason of the named component. */
  readonly reasons?: Readonly<Record<string, string>>;
  /** Substrings that must appear in the reasons of ignored files. */
  readonly ignored?: readonly string[];
  /** Checked where the report has a challenge section (the challenge exercise was graded). */
  readonly challenge?: {
    /** 'full', 'zero', or the label of a threshold whose accuracy (and so its points) must be reached. */
    readonly points?: 'full' | 'zero' | string;
    /** Its place on the leaderboard among the graded samples (1: first). */
    readonly rank?: number;
    /** A substring of the reason (a challenge that earned 0). */
    readonly reason?: string;
  };
}

export const samplesDirectory = (kitRoot: string): string => path.join(kitRoot, 'grader/samples');

export function listRecipes(kitRoot: string): Array<{ name: string; recipe: SampleRecipe; folder: string }> {
  const root = samplesDirectory(kitRoot);
  return readdirSync(root)
    .filter((name) => existsSync(path.join(root, name, 'sample.json')))
    .sort()
    .map((name) => ({
      name,
      folder: path.join(root, name),
      recipe: JSON.parse(readFileSync(path.join(root, name, 'sample.json'), 'utf8')) as SampleRecipe,
    }));
}

/** The name a sample's submission gets in the submissions folder. */
export function submissionNameOf(name: string, recipe: SampleRecipe): string {
  if (recipe.submissionNameHex !== undefined) return displayName(Buffer.from(recipe.submissionNameHex, 'hex'));
  return recipe.submissionName ?? name;
}

const ownedFiles = (): string[] => course.exercises.flatMap((e) => e.components.flatMap((c) => c.files));
const challengeFiles = (): string[] =>
  course.exercises.flatMap((e) => (e.challenge ? [e.challenge.modelFile, e.challenge.weightsFile] : []));

/** Where the baseline's trained weights are committed (the baseline sample submits them with the baseline model). */
export const BASELINE_WEIGHTS = 'grader/challenge/baseline/weights.json';

/** A challenge file of a sample: the reference's, or the baseline (the stub tool's model and the committed weights). */
function challengeFile(kitRoot: string, owned: string, which: 'reference' | 'baseline'): string {
  if (which === 'reference') return readFileSync(path.join(kitRoot, 'solutions', owned), 'utf8');
  const weights = course.exercises.some((e) => e.challenge?.weightsFile === owned);
  return weights ? readFileSync(path.join(kitRoot, BASELINE_WEIGHTS), 'utf8') : stubSource(kitRoot, owned);
}

/**
 * Stub text for one owned file: exercises/ where the stub tool has generated it (what students were
 * given), else what the stub tool (tools/stub) would generate from the solution.
 */
export function stubSource(kitRoot: string, file: string): string {
  const generated = path.join(kitRoot, 'exercises', file);
  if (existsSync(generated)) return readFileSync(generated, 'utf8');
  if (!ownedFiles().includes(file)) throw new Error(`${file} is not an owned file of the course`);
  return generateStub({ root: kitRoot, course }, file, readFileSync(path.join(kitRoot, 'solutions', file), 'utf8'));
}

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const out: string[] = [];
  const visit = (directory: string): void => {
    for (const name of readdirSync(directory).sort()) {
      const full = path.join(directory, name);
      if (statSync(full).isDirectory()) visit(full);
      else out.push(path.relative(folder, full).split(path.sep).join('/'));
    }
  };
  visit(folder);
  return out;
}

/** The files of one sample submission: path in the submission → contents. */
export function sampleFiles(kitRoot: string, name: string, recipe: SampleRecipe): Map<string, string> {
  const files = new Map<string, string>();
  const place = (owned: string): string =>
    recipe.layout === 'flat' ? path.posix.basename(owned) : `exercises/${owned}`;
  const challenge = new Set(challengeFiles());
  for (const owned of ownedFiles()) {
    if (recipe.omit?.includes(owned)) continue;
    if (challenge.has(owned)) {
      if (recipe.challenge) files.set(place(owned), challengeFile(kitRoot, owned, recipe.challenge));
      continue;
    }
    if (recipe.base === 'reference' || recipe.fromReference?.includes(owned))
      files.set(place(owned), readFileSync(path.join(kitRoot, 'solutions', owned), 'utf8'));
    else if (recipe.base === 'stubs') files.set(place(owned), stubSource(kitRoot, owned));
  }
  const overlay = path.join(samplesDirectory(kitRoot), name, 'files');
  for (const relative of filesUnder(overlay)) files.set(relative, readFileSync(path.join(overlay, relative), 'utf8'));
  const append = recipe.appendRepeated;
  if (append)
    files.set(
      append.file,
      `${files.get(append.file) ?? ''}${append.before}${append.repeat.repeat(append.times)}${append.after}`,
    );
  if (recipe.submissionJson) files.set('submission.json', `${JSON.stringify(recipe.submissionJson, null, 2)}\n`);
  return files;
}

/** Writes every sample into `target` (emptied first) and returns it. */
export async function buildSamples(kitRoot: string, target: string): Promise<string> {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const { name, recipe } of listRecipes(kitRoot)) {
    const submissionName = submissionNameOf(name, recipe);
    const files = sampleFiles(kitRoot, name, recipe);
    if (recipe.zip) {
      const entries: ZipEntry[] = [...files].map(([entryName, text]) => ({ name: entryName, data: Buffer.from(text) }));
      for (const extra of recipe.zipExtras ?? []) {
        entries.push(
          extra.symlinkTo !== undefined
            ? { name: extra.name, data: Buffer.from(extra.symlinkTo), symlink: true }
            : { name: extra.name, data: Buffer.from(extra.text ?? '') },
        );
      }
      const zip = writeZip(entries);
      writeFileSync(
        path.join(target, `${submissionName}.zip`),
        recipe.truncateZip ? zip.subarray(0, Math.floor(zip.length / 2)) : zip,
      );
    } else {
      // The folder's name as bytes: a recipe may ask for one that is not valid UTF-8.
      const folder = joinBytes(
        Buffer.from(target),
        recipe.submissionNameHex !== undefined
          ? Buffer.from(recipe.submissionNameHex, 'hex')
          : Buffer.from(submissionName),
      );
      mkdirSync(folder, { recursive: true });
      for (const [relative, text] of files) {
        const destination = joinBytes(folder, Buffer.from(relative));
        mkdirSync(joinBytes(folder, Buffer.from(path.posix.dirname(relative))), { recursive: true });
        writeFileSync(destination, text);
      }
      for (const raw of recipe.rawNamedFiles ?? [])
        writeFileSync(joinBytes(folder, Buffer.from(raw.nameHex, 'hex')), raw.text);
    }
  }
  return target;
}
