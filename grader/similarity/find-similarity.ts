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
        compareComponent(
          exercise.id,
          component.name,
          component.files,
          submissions,
          given,
          settings,
          tokenCache(given.knownNames),
        ),
      );
    }
  }
  const repeated = new Map<string, { left: string; right: string; components: string[] }>();
  for (const component of components) {
    for (const pair of component.pairs.filter((p) => p.flagged)) {
      const key = JSON.stringify([pair.left, pair.right]);
      const entry = repeated.get(key) ?? { left: pair.left, right: pair.right, components: [] };
      entry.components.push(`${component.exercise} ${component.component}`);
      repeated.set(key, entry);
    }
  }
  const repeatedPairs = [...repeated.values()]
    .filter((p) => p.components.length > 1)
    .sort((a, b) => b.components.length - a.components.length);
  return {
    schema: 'dlkit-similarity',
    version: 1,
    settings,
    submissions: submissions.map((s) => s.id),
    components,
    repeatedPairs,
  };
}

function compareComponent(
  exercise: string,
  component: string,
  files: readonly string[],
  submissions: readonly SubmissionFiles[],
  given: GivenCode,
  settings: SimilaritySettings,
  read: (file: string, text: string) => Tokens,
): ComponentSimilarity {
  const indexes = files.map((file) => {
    const versions = submissions.map((s) => {
      const text = s.files.get(file);
      return text === undefined ? undefined : read(file, text);
    });
    const templates = (given.templates.get(file) ?? []).map((t) => read(file, t.text));
    return new FileIndex(file, versions, templates, settings.kgramTokens, settings.windowKgrams);
  });
  // A version of a file counts when it has code of its own (an untouched stub has none).
  const versionOf = (index: FileIndex, submission: number): number | undefined => {
    const version = index.versionOf[submission];
    return version !== undefined && index.own(version) > 0 ? version : undefined;
  };
  // Submissions whose code of the component is the same token for token are one unit: compared once,
  // listed as a group (a class where thirty students hand in one text gives one group, not 435 pairs).
  const units: Array<{ versions: Array<number | undefined>; members: number[]; own: number }> = [];
  const unitByKey = new Map<string, number>();
  submissions.forEach((_, i) => {
    const versions = indexes.map((index) => versionOf(index, i));
    if (versions.every((v) => v === undefined)) return;
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
  });
  const score = (a: number, b: number): { similarity: number; longestTokens: number } => {
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
  };
  const isFlagged = (p: { similarity: number; longestTokens: number }): boolean =>
    p.similarity >= settings.threshold && p.longestTokens >= settings.minimumRunTokens;

  const scored: Array<{ left: number; right: number; similarity: number; longestTokens: number; flagged: boolean }> =
    [];
  for (let a = 0; a < units.length; a++) {
    if (units[a].members.length > 1) {
      const self = score(a, a);
      scored.push({ left: a, right: a, ...self, flagged: isFlagged(self) });
    }
    for (let b = a + 1; b < units.length; b++) {
      const pair = score(a, b);
      if (pair.similarity > 0) scored.push({ left: a, right: b, ...pair, flagged: isFlagged(pair) });
    }
  }
  scored.sort(
    (x, y) => Number(y.flagged) - Number(x.flagged) || y.similarity - x.similarity || y.longestTokens - x.longestTokens,
  );
  const pairsOf = (p: { left: number; right: number }): number => {
    const l = units[p.left].members.length;
    const r = units[p.right].members.length;
    return p.left === p.right ? (l * (l - 1)) / 2 : l * r;
  };
  const flaggedEntries = scored.filter((p) => p.flagged);
  const listed = [
    ...flaggedEntries.slice(0, settings.maxPairsListed),
    ...scored.filter((p) => !p.flagged).slice(0, settings.contextPairs),
  ];
  const pairs: PairResult[] = listed.map((p, rank) => {
    const leftMember = units[p.left].members[0];
    const rightMember = p.left === p.right ? units[p.right].members[1] : units[p.right].members[0];
    const fragments: SharedFragment[] = [];
    if (rank < settings.pairsWithFragments) {
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
      fragments.sort((x, y) => y.tokens - x.tokens);
    }
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
  });
  const authors = units.reduce((total, u) => total + u.members.length, 0);
  return {
    exercise,
    component,
    files,
    withOwnCode: authors,
    distinct: units.length,
    pairsCompared: (authors * (authors - 1)) / 2,
    flaggedPairs: flaggedEntries.reduce((total, p) => total + pairsOf(p), 0),
    pairs,
  };
}
