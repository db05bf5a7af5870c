import type { ExerciseSpec } from '../../course/course.js';
import { FileIndex } from './file-index.js';
import { languageOf, type GivenCode } from './given-code.js';
import type {
  ComponentSimilarity,
  PairResult,
  SharedFragment,
  SimilarityResult,
  SimilaritySettings,
} from './similarity-types.js';
import { tokenizeTypeScript } from './tokenize-typescript.js';
import { tokenizeWgsl } from './tokenize-wgsl.js';
import type { Tokens } from './tokens.js';

/**
 * The similarity index of a class: for every component, each submission's files of that component
 * against the same files of every other submission (never across components, never the given code),
 * scored as Dolos scores a pair, ranked, and the pairs over the threshold flagged. Pure: the caller
 * reads the submissions and the given code and writes the outputs (write-similarity.ts).
 */
export interface SubmissionFiles {
  readonly id: string;
  /** Owned file (relative to exercises/) → its text. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * The kit's owned files hold a few thousand tokens; one that holds more than this (a sample carries
 * 500,000 `!`) is compared on its first MAX_TOKENS only, so it cannot stall the class's index.
 */
export const MAX_TOKENS = 50_000;

export function tokenize(file: string, text: string, knownNames: ReadonlySet<string>): Tokens {
  const tokens = languageOf(file) === 'wgsl' ? tokenizeWgsl(text, knownNames) : tokenizeTypeScript(text, knownNames);
  return tokens.tokens.length <= MAX_TOKENS
    ? tokens
    : { tokens: tokens.tokens.slice(0, MAX_TOKENS), mapping: tokens.mapping.slice(0, MAX_TOKENS) };
}

/** Tokens by file and text: copies of one text (forty untouched stubs) are read once. */
function tokenCache(knownNames: GivenCode['knownNames']): (file: string, text: string) => Tokens {
  const cache = new Map<string, Tokens>();
  const none = new Set<string>();
  return (file, text) => {
    const key = `${file}\0${text}`;
    let tokens = cache.get(key);
    if (tokens === undefined) {
      tokens = tokenize(file, text, knownNames.get(file) ?? none);
      cache.set(key, tokens);
    }
    return tokens;
  };
}

export function findSimilarity(
  submissions: readonly SubmissionFiles[],
  exercises: readonly ExerciseSpec[],
  given: GivenCode,
  settings: SimilaritySettings,
): Omit<SimilarityResult, 'generatedAt' | 'unreadable' | 'seconds'> {
  const components: ComponentSimilarity[] = [];
  for (const exercise of exercises) {
    for (const component of exercise.components) {
      if (component.files.length === 0) continue;
      // One cache per component: a class's tokens are held one component at a time.
      components.push(
        compareComponent({
          exercise: exercise.id,
          component: component.name,
          files: component.files,
          submissions,
          given,
          settings,
          read: tokenCache(given.knownNames),
        }),
      );
    }
  }
  return {
    schema: 'dlkit-similarity',
    version: 1,
    settings,
    submissions: submissions.map((s) => s.id),
    components,
    repeatedPairs: repeatedPairs(components),
  };
}

/** The pairs of students flagged in more than one component (the strongest signal), most components first. */
function repeatedPairs(components: readonly ComponentSimilarity[]): SimilarityResult['repeatedPairs'] {
  const repeated = new Map<string, { left: string; right: string; components: string[] }>();
  for (const component of components) {
    for (const pair of component.pairs.filter((p) => p.flagged)) {
      const key = JSON.stringify([pair.left, pair.right]);
      const entry = repeated.get(key) ?? { left: pair.left, right: pair.right, components: [] };
      entry.components.push(`${component.exercise} ${component.component}`);
      repeated.set(key, entry);
    }
  }
  return [...repeated.values()]
    .filter((p) => p.components.length > 1)
    .sort((a, b) => b.components.length - a.components.length);
}

/** What one component's comparison reads: which files, whose, the given code, the settings, and the token cache. */
interface ComponentInputs {
  readonly exercise: string;
  readonly component: string;
  /** The component's owned files (relative to exercises/). */
  readonly files: readonly string[];
  readonly submissions: readonly SubmissionFiles[];
  readonly given: GivenCode;
  readonly settings: SimilaritySettings;
  /** Tokens by file and text (tokenCache). */
  readonly read: (file: string, text: string) => Tokens;
}

/**
 * Submissions whose code of the component is the same token for token: compared once, listed as a
 * group. `versions[f]` is their version of the component's file f (undefined: no code of their own in
 * it), `members` the submissions (indexes), `own` their own fingerprints over all files.
 */
interface CodeUnit {
  readonly versions: ReadonlyArray<number | undefined>;
  readonly members: number[];
  readonly own: number;
}

/** A component's indexed code: one FileIndex per file, and the distinct codes (units) of the class. */
interface ComponentCode {
  readonly indexes: readonly FileIndex[];
  readonly units: readonly CodeUnit[];
}

/** Two units (or a unit with itself: its members are identical) scored as Dolos scores a pair. */
interface ScoredPair {
  readonly left: number;
  readonly right: number;
  readonly similarity: number;
  readonly longestTokens: number;
  readonly flagged: boolean;
}

/**
 * One component: index its files, group identical codes, score every pair of distinct codes, list the
 * flagged pairs (at most maxPairsListed) and the contextPairs next-highest, with their shared fragments.
 */
function compareComponent(inputs: ComponentInputs): ComponentSimilarity {
  const { settings } = inputs;
  const indexes = indexFiles(inputs);
  const code: ComponentCode = { indexes, units: distinctCodes(indexes, inputs.submissions.length) };
  const scored = scorePairs(code, settings);
  const flaggedEntries = scored.filter((p) => p.flagged);
  const listed = [
    ...flaggedEntries.slice(0, settings.maxPairsListed),
    ...scored.filter((p) => !p.flagged).slice(0, settings.contextPairs),
  ];
  const pairs = listed.map((p, rank) => pairResult(inputs, code, p, rank < settings.pairsWithFragments));
  const authors = code.units.reduce((total, u) => total + u.members.length, 0);
  return {
    exercise: inputs.exercise,
    component: inputs.component,
    files: inputs.files,
    withOwnCode: authors,
    distinct: code.units.length,
    pairsCompared: (authors * (authors - 1)) / 2,
    flaggedPairs: flaggedEntries.reduce((total, p) => total + pairsOf(code.units, p), 0),
    pairs,
  };
}

/** One FileIndex per file of the component: every submission's version of it, and the given code as templates. */
function indexFiles({ files, submissions, given, settings, read }: ComponentInputs): FileIndex[] {
  return files.map((file) => {
    const versions = submissions.map((s) => {
      const text = s.files.get(file);
      return text === undefined ? undefined : read(file, text);
    });
    const templates = (given.templates.get(file) ?? []).map((t) => read(file, t.text));
    return new FileIndex(file, versions, templates, settings.kgramTokens, settings.windowKgrams);
  });
}

/**
 * The class's distinct codes of the component, in submission order: a class where thirty students hand
 * in one text gives one unit, not 435 pairs. A submission without code of its own in any file is in none.
 */
function distinctCodes(indexes: readonly FileIndex[], submissionCount: number): CodeUnit[] {
  // A version of a file counts when it has code of its own (an untouched stub has none).
  const versionOf = (index: FileIndex, submission: number): number | undefined => {
    const version = index.versionOf[submission];
    return version !== undefined && index.own(version) > 0 ? version : undefined;
  };
  const units: CodeUnit[] = [];
  const unitByKey = new Map<string, number>();
  for (let i = 0; i < submissionCount; i++) {
    const versions = indexes.map((index) => versionOf(index, i));
    if (versions.every((v) => v === undefined)) continue;
    const key = versions.join(',');
    let unit = unitByKey.get(key);
    if (unit === undefined) {
      unit = units.length;
      unitByKey.set(key, unit);
      units.push({
        versions,
        members: [],
        own: versions.reduce((total: number, v, f) => total + (v === undefined ? 0 : indexes[f].own(v)), 0),
      });
    }
    units[unit].members.push(i);
  }
  return units;
}

/**
 * Every pair of distinct codes that shares something, and every code with more than one member paired
 * with itself; flagged first, then by similarity, then by longest shared run.
 */
function scorePairs(code: ComponentCode, settings: SimilaritySettings): ScoredPair[] {
  const { units } = code;
  const isFlagged = (p: { similarity: number; longestTokens: number }): boolean =>
    p.similarity >= settings.threshold && p.longestTokens >= settings.minimumRunTokens;
  const scored: ScoredPair[] = [];
  for (let a = 0; a < units.length; a++) {
    if (units[a].members.length > 1) {
      const self = scoreUnits(code, a, a);
      scored.push({ left: a, right: a, ...self, flagged: isFlagged(self) });
    }
    for (let b = a + 1; b < units.length; b++) {
      const pair = scoreUnits(code, a, b);
      if (pair.similarity > 0) scored.push({ left: a, right: b, ...pair, flagged: isFlagged(pair) });
    }
  }
  return scored.sort(
    (x, y) => Number(y.flagged) - Number(x.flagged) || y.similarity - x.similarity || y.longestTokens - x.longestTokens,
  );
}

/**
 * Dolos's similarity of two units over the component's files: (covered left + covered right) /
 * (own left + own right), and the longest run of tokens they share in any one file.
 */
function scoreUnits(
  { indexes, units }: ComponentCode,
  a: number,
  b: number,
): { similarity: number; longestTokens: number } {
  let covered = 0;
  let longestTokens = 0;
  for (let f = 0; f < indexes.length; f++) {
    const l = units[a].versions[f];
    const r = units[b].versions[f];
    if (l === undefined || r === undefined) continue;
    const s = indexes[f].score(l, r);
    covered += s.leftCovered + s.rightCovered;
    if (s.longestTokens > longestTokens) longestTokens = s.longestTokens;
  }
  return { similarity: covered / (units[a].own + units[b].own), longestTokens };
}

/** How many pairs of submissions a scored pair of units stands for: n(n−1)/2 within one unit, l·r between two. */
function pairsOf(units: readonly CodeUnit[], p: { left: number; right: number }): number {
  const l = units[p.left].members.length;
  const r = units[p.right].members.length;
  return p.left === p.right ? (l * (l - 1)) / 2 : l * r;
}

/**
 * A listed pair as similarity.json shows it: the first member of each side (the first two of an
 * identical group), the groups' members, the scores, and (for the first pairsWithFragments) the longest
 * shared fragments.
 */
function pairResult(inputs: ComponentInputs, code: ComponentCode, p: ScoredPair, withFragments: boolean): PairResult {
  const { submissions, settings } = inputs;
  const { units } = code;
  const leftMember = units[p.left].members[0];
  const rightMember = p.left === p.right ? units[p.right].members[1] : units[p.right].members[0];
  const fragments = withFragments ? sharedFragments(inputs, code, p, [leftMember, rightMember]) : [];
  const leftMembers = units[p.left].members.map((i) => submissions[i].id);
  const rightMembers = units[p.right].members.map((i) => submissions[i].id);
  const identical = p.left === p.right;
  return {
    left: submissions[leftMember].id,
    right: submissions[rightMember].id,
    ...(identical
      ? { identical: leftMembers }
      : {
          ...(leftMembers.length > 1 ? { leftGroup: leftMembers } : {}),
          ...(rightMembers.length > 1 ? { rightGroup: rightMembers } : {}),
        }),
    similarity: Number(p.similarity.toFixed(4)),
    longestTokens: p.longestTokens,
    flagged: p.flagged,
    fragments: fragments.slice(0, settings.fragmentsPerPair),
  };
}

/**
 * The runs of tokens a pair shares, per file (at most fragmentsPerPair each), longest first, with each
 * side's line numbers taken from the text of the member shown on that side.
 */
function sharedFragments(
  { files, submissions, settings, read }: ComponentInputs,
  { indexes, units }: ComponentCode,
  p: ScoredPair,
  [leftMember, rightMember]: readonly [number, number],
): SharedFragment[] {
  const fragments: SharedFragment[] = [];
  indexes.forEach((index, f) => {
    const l = units[p.left].versions[f];
    const r = units[p.right].versions[f];
    if (l === undefined || r === undefined) return;
    // Members of a unit share tokens, not lines: each side's lines come from its own text.
    const leftLines = read(files[f], submissions[leftMember].files.get(files[f]) ?? '').mapping;
    const rightLines = read(files[f], submissions[rightMember].files.get(files[f]) ?? '').mapping;
    for (const run of index.fragmentRuns(l, r, settings.fragmentsPerPair)) {
      fragments.push({
        file: files[f],
        tokens: run.stop - run.start + 1,
        left: { startLine: leftLines[run.start].startRow + 1, endLine: leftLines[run.stop].endRow + 1 },
        right: {
          startLine: rightLines[run.rightStart].startRow + 1,
          endLine: rightLines[run.rightStop].endRow + 1,
        },
      });
    }
  });
  return fragments.sort((x, y) => y.tokens - x.tokens);
}
