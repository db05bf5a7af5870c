import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { course } from '../../course/course.js';
import { GraderSetupError } from '../plan.js';
import { discoverSubmissions, loadSubmission } from '../submissions/load.js';
import { findSimilarity, type SubmissionFiles } from './find-similarity.js';
import { givenCode } from './given-code.js';
import { renderSimilarityHtml } from './render-similarity.js';
import { DEFAULT_SIMILARITY_SETTINGS, type SimilarityResult, type SimilaritySettings } from './similarity-types.js';

/**
 * `--similarity`: reads every submission in the folder (as the grader reads them: only the owned
 * files, never executed), builds the similarity index and writes similarity.html and similarity.json
 * into `out`, next to summary.html. Nothing of it goes into a student's report or the gradebook.
 */
export interface SimilarityOptions {
  readonly kitRoot: string;
  readonly submissions: string;
  readonly out: string;
  /** Only these exercises' components (all when empty). */
  readonly exercises?: readonly string[];
  readonly settings?: Partial<SimilaritySettings>;
  readonly onWarning?: (message: string) => void;
}

export async function writeSimilarity(
  options: SimilarityOptions,
): Promise<{ result: SimilarityResult; html: string; json: string }> {
  const started = Date.now();
  const wanted = options.exercises ?? [];
  for (const id of wanted) {
    if (!course.exercises.some((e) => e.id === id))
      throw new GraderSetupError(
        `unknown exercise '${id}': the course has ${course.exercises.map((e) => e.id).join(', ')}`,
      );
  }
  const exercises = course.exercises.filter((e) => wanted.length === 0 || wanted.includes(e.id));
  const settings: SimilaritySettings = { ...DEFAULT_SIMILARITY_SETTINGS, ...options.settings };
  const ownedFiles = [...new Set(course.exercises.flatMap((e) => e.components.flatMap((c) => c.files)))];
  const submissions: SubmissionFiles[] = [];
  const unreadable: Array<{ id: string; reason: string }> = [];
  for (const entry of discoverSubmissions(options.submissions).entries) {
    try {
      const submission = await loadSubmission(entry, ownedFiles);
      // A folder and a zip of one name would be one id: keep both, told apart.
      const id = submissions.some((s) => s.id === submission.id) ? `${submission.id} (${entry.source})` : submission.id;
      submissions.push({ id, files: submission.files });
    } catch (error) {
      const reason = String((error as Error)?.message ?? error);
      unreadable.push({ id: entry.id, reason });
      options.onWarning?.(`similarity: ${entry.id} could not be read (${reason}); it is in no pair`);
    }
  }
  const given = givenCode(
    options.kitRoot,
    exercises.flatMap((e) => e.components),
  );
  const found = findSimilarity(submissions, exercises, given, settings);
  const result: SimilarityResult = {
    ...found,
    generatedAt: new Date().toISOString(),
    unreadable,
    seconds: Number(((Date.now() - started) / 1000).toFixed(2)),
  };
  mkdirSync(options.out, { recursive: true });
  const html = path.join(options.out, 'similarity.html');
  const json = path.join(options.out, 'similarity.json');
  const texts = new Map(submissions.map((s) => [s.id, s.files]));
  writeAtomically(html, renderSimilarityHtml(result, texts));
  writeAtomically(json, `${JSON.stringify(result, null, 2)}\n`);
  return { result, html, json };
}

function writeAtomically(file: string, contents: string): void {
  writeFileSync(`${file}.partial`, contents);
  renameSync(`${file}.partial`, file);
}
