import { readFileSync } from 'node:fs';
import path from 'node:path';
import { course } from '../../course/course.js';
import { stubSource } from '../../grader/samples/build-samples.js';
import type { SubmissionFiles } from '../../grader/similarity/find-similarity.js';
import { kitRoot } from './helpers.js';

/**
 * A constructed class for the similarity tests (issue 15): the reference, a disguised copy of it, an
 * independent solution written by hand, untouched stubs. Built in memory from solutions/ and the stubs.
 */
export const ex1 = course.exercises.filter((e) => e.id === 'ex1');
const ex1Files = ex1.flatMap((e) => e.components.flatMap((c) => c.files));

export const solution = (file: string): string => readFileSync(path.join(kitRoot, 'solutions', file), 'utf8');
export const stub = (file: string): string => stubSource(kitRoot, file);

/** A submission of the ex1 files: the stubs, with `files` laid over them. */
export function submission(id: string, files: Record<string, string> = {}): SubmissionFiles {
  return { id, files: new Map(ex1Files.map((file) => [file, files[file] ?? stub(file)])) };
}

/** The solution with its i-th `// BEGIN SOLUTION … // END SOLUTION` region replaced by `regions[i]`. */
export function withRegions(text: string, regions: readonly string[]): string {
  let i = 0;
  const out = text.replace(
    /^[ \t]*\/\/ BEGIN SOLUTION\n[\s\S]*?^[ \t]*\/\/ END SOLUTION\n/gm,
    () => `${regions[i++]}\n`,
  );
  if (i !== regions.length) throw new Error(`expected ${regions.length} solution regions, found ${i}`);
  return out;
}

/**
 * What a student who copies does to hide it: every variable declared in the solution regions renamed,
 * the markers and comments dropped, other comments added, lines re-indented.
 */
export function disguise(text: string): string {
  const region = /^[ \t]*\/\/ BEGIN SOLUTION\n([\s\S]*?)^[ \t]*\/\/ END SOLUTION\n/gm;
  const declared = new Set(
    [...text.matchAll(region)].flatMap((m) => [...m[1].matchAll(/\b(?:let|const)\s+([A-Za-z_]\w*)/g)].map((d) => d[1])),
  );
  return text.replace(region, (_whole, body: string) => {
    let out = body;
    for (const name of declared)
      out = out.replace(new RegExp(`\\b${name}\\b`, 'g'), `the${name[0].toUpperCase()}${name.slice(1)}Value`);
    return out.replace(/^( +)(for|let|const|return)\b/gm, '  $1// my own work\n  $1$2');
  });
}

/** Moves the text from `start` up to `end` (exclusive) to the end of the file: functions reordered. */
export function moveToEnd(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`cannot move ${start}…${end}: not found`);
  return `${text.slice(0, from)}${text.slice(to)}\n${text.slice(from, to)}`;
}

/** SoftMax written differently, by hand: rows by index, max by comparison, exp computed twice, the backward regrouped. */
export const independentSoftmax = withRegions(solution('activations/softmax.ts'), [
  `  const rows = x.length / classes;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let peak = x[base];
    for (let c = 1; c < classes; c++) if (x[base + c] > peak) peak = x[base + c];
    let norm = 0;
    for (let c = 0; c < classes; c++) norm += Math.exp(x[base + c] - peak);
    for (let c = 0; c < classes; c++) y[base + c] = Math.exp(x[base + c] - peak) / norm;
  }`,
  `    const weighted = sum(mul(output, gradOutput), -1, true);
    const centred = sub(gradOutput, weighted);
    return mul(centred, output);`,
]);

/** The copy: the reference renamed, commented, and softmaxCpu moved below the class that uses it. */
export const copiedSoftmax = moveToEnd(
  disguise(solution('activations/softmax.ts')),
  'export function softmaxCpu',
  "registerKernel('softmax'",
);
