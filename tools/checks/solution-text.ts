import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listFiles } from '../files.js';
import type { Kit } from '../kit.js';
import { languageOf } from '../stub/pipeline.js';
import { parseMarkers, type Region } from '../stub/markers.js';

/**
 * "No solution text survives": for every solution region, its distinctive lines must appear in no
 * file given to students. A line is distinctive when it is long enough to mean something and appears
 * nowhere a student may legitimately see it: not in framework/, the check harness, the public tests, or the parts of the
 * solution file outside its regions, nor a bare counting-loop header. The test helpers (tests/helpers, handed out with the tests) are
 * searched like any handout file: a test double that copies a solution line gives the solution away. Lines are compared trimmed, so re-indenting does not hide a leak,
 * and long ones are also found inside other lines (a solution quoted in a comment).
 */
export interface SolutionLine {
  readonly source: string;
  readonly line: number;
  readonly text: string;
}

const minimumLength = 8;
/** Distinctive lines at least this long count also when they appear inside a longer line. */
const substringLength = 24;
const markerPattern = /\/\/\s*(BEGIN |END )?SOLUTION\s*$/;

export function distinctiveSolutionLines(kit: Kit): SolutionLine[] {
  const publicLines = new Set<string>();
  const addLines = (text: string): void => {
    for (const line of text.split('\n')) publicLines.add(line.trim());
  };
  // Not tests/helpers: the handout's test doubles are student-visible code, so a solution line in them is
  // a leak to report (findSolutionTextInTestHelpers), never a reason to stop looking for that line.
  const publicFolders = ['framework', 'tests/harness', ...kit.course.exercises.map((exercise) => exercise.publicTests)];
  for (const folder of publicFolders)
    for (const file of listFiles(path.join(kit.root, folder)))
      addLines(readFileSync(path.join(kit.root, folder, file), 'utf8'));

  const candidates: SolutionLine[] = [];
  for (const file of listFiles(path.join(kit.root, 'solutions'))) {
    if (!languageOf(file)) continue;
    const source = `solutions/${file}`;
    const lines = readFileSync(path.join(kit.root, source), 'utf8').split('\n');
    const regions = parseMarkers(lines.join('\n'), source);
    const inside = solutionLineNumbers(regions);
    lines.forEach((text, index) => {
      if (inside.has(index + 1))
        candidates.push({ source, line: index + 1, text: text.replace(markerPattern, '').trim() });
      else addLines(text);
    });
  }
  return candidates.filter(
    (candidate) =>
      candidate.text.length >= minimumLength &&
      /[A-Za-z0-9]/.test(candidate.text) &&
      !publicLines.has(candidate.text) &&
      !isComment(candidate.text) &&
      !isLoopHeader(candidate.text),
  );
}

/**
 * `for (let c = 0; c < channels; c++) {`: a counting loop's header alone says nothing of a solution (every
 * CPU oracle over the same shapes writes it), so it is not a fingerprint; the loop's body is.
 */
const isLoopHeader = (text: string): boolean =>
  /^for \(let \w+ = 0; \w+ < [\w.\s*+-]+; \w+\+\+\) \{$/.test(text) ||
  /^for \(let \w+ = [\w.\s-]+; \w+ >= 0; \w+--\) \{$/.test(text);

/** Solution lines of each region: a block's body less its prompt, or the `// SOLUTION` line. */
function solutionLineNumbers(regions: readonly Region[]): Set<number> {
  const numbers = new Set<number>();
  for (const region of regions) {
    if (region.kind === 'line') numbers.add(region.line);
    else {
      for (let line = region.begin + 1; line < region.end; line++) {
        if (region.prompt && line >= region.prompt.first && line <= region.prompt.last) continue;
        numbers.add(line);
      }
    }
  }
  return numbers;
}

const isComment = (text: string): boolean => text.startsWith('//') || text.startsWith('*') || text.startsWith('/*');

/**
 * Every place under `folder` (files relative to it, default: all but node_modules and the lockfile)
 * where a distinctive solution line, or a solution marker, appears.
 */
export function findSolutionText(kit: Kit, folder: string, label = path.relative(kit.root, folder) || '.'): string[] {
  const distinctive = distinctiveSolutionLines(kit);
  const fingerprints = new Map(distinctive.map((line) => [line.text, line]));
  // Long lines are also looked for inside other lines: a solution quoted in a comment is still a leak.
  const long = distinctive.filter((line) => line.text.length >= substringLength);
  const problems: string[] = [];
  for (const file of listFiles(folder)) {
    if (file.startsWith('node_modules/') || file.endsWith('package-lock.json') || !isText(file)) continue;
    readFileSync(path.join(folder, file), 'utf8')
      .split('\n')
      .forEach((text, index) => {
        const where = `${label}/${file}:${index + 1}`;
        const found = fingerprints.get(text.trim()) ?? long.find((line) => text.includes(line.text));
        if (found) problems.push(`${where} contains solution text from ${found.source}:${found.line}: ${found.text}`);
        else if (/\/\/\s*(BEGIN|END) SOLUTION\b|\S.*\/\/\s*SOLUTION\s*$/.test(text))
          problems.push(`${where} still has a solution marker`);
      });
  }
  return problems;
}

const isText = (file: string): boolean => /\.(ts|js|mjs|json|wgsl|md|txt|csv)$/.test(file);

/** Every line of the kit's tests/helpers (handed out with the tests) that carries solution text. */
export function findSolutionTextInTestHelpers(kit: Kit): string[] {
  return findSolutionText(kit, path.join(kit.root, 'tests/helpers'), 'tests/helpers');
}
