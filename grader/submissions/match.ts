import path from 'node:path';

/**
 * Which of a submission's files are the files the course lets a student own. A submission may hold
 * them at their kit paths (`exercises/layers/fully-connected.ts`, as `npm run pack-submission` writes)
 * or anywhere below (an LMS download: `alice/homework/fully-connected.ts`): each file is matched to the owned
 * file with which it shares the longest path suffix (at least the file name). Anything else, an
 * ambiguous name or a second copy of the same owned file, is reported and ignored.
 */
export interface MatchResult {
  /** Owned path (relative to exercises/) → the submission's path that supplies it. */
  readonly accepted: ReadonlyMap<string, string>;
  readonly ignored: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
}

function suffixLength(candidate: readonly string[], owned: readonly string[]): number {
  let n = 0;
  while (
    n < candidate.length &&
    n < owned.length &&
    candidate[candidate.length - 1 - n] === owned[owned.length - 1 - n]
  )
    n++;
  return n;
}

export function matchOwnedFiles(submissionPaths: readonly string[], ownedFiles: readonly string[]): MatchResult {
  const ignored: Array<{ path: string; reason: string }> = [];
  const best = new Map<string, { path: string; score: number }>();
  const owned = ownedFiles.map((file) => ({ file, segments: file.split('/') }));
  for (const submitted of submissionPaths) {
    const segments = submitted.split('/');
    let top = 0;
    let winners: string[] = [];
    for (const candidate of owned) {
      const score = suffixLength(segments, candidate.segments);
      if (score === 0) continue;
      if (score > top) [top, winners] = [score, [candidate.file]];
      else if (score === top) winners.push(candidate.file);
    }
    if (winners.length === 0) {
      ignored.push({ path: submitted, reason: 'not a file the course lets a student submit' });
      continue;
    }
    if (winners.length > 1) {
      ignored.push({
        path: submitted,
        reason: `ambiguous: could be any of ${winners.map((w) => `exercises/${w}`).join(', ')}; keep the kit's folders`,
      });
      continue;
    }
    const file = winners[0];
    const previous = best.get(file);
    // Prefer the closest match to the kit's layout, then the shortest path.
    if (!previous || top > previous.score || (top === previous.score && submitted.length < previous.path.length)) {
      if (previous)
        ignored.push({ path: previous.path, reason: `a second copy of exercises/${file}; graded ${submitted}` });
      best.set(file, { path: submitted, score: top });
    } else {
      ignored.push({ path: submitted, reason: `a second copy of exercises/${file}; graded ${previous.path}` });
    }
  }
  return { accepted: new Map([...best].map(([file, { path: submitted }]) => [file, submitted])), ignored };
}

/** A submission path in posix form, relative to the submission's root. */
export function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}
