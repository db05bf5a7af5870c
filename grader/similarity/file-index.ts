import { File, FingerprintIndex, TokenizedFile, type FileEntry } from '@dodona/dolos-core';
import type { Tokens } from './tokens.js';

/**
 * One owned file across the class, fingerprinted with Dolos's winnowing index (`@dodona/dolos-core`):
 * the submissions' versions of the file, one entry per distinct token stream (a class where forty
 * students hand in the same text fingerprints it once), and the given code as ignored files. For any
 * two versions it scores what they share of the code the students wrote themselves.
 */
export interface FileScore {
  /** Fingerprint occurrences of each side that the other side shares. */
  readonly leftCovered: number;
  readonly rightCovered: number;
  /** The longest run of consecutive shared fingerprints, in tokens (0 when nothing is shared). */
  readonly longestTokens: number;
}

/**
 * Runs are followed at no more than this many places of one fingerprint on the right: a file that
 * repeats one line thousands of times (a sample holds 500,000 `!`) would otherwise cost the cube of
 * its repeats. Covered counts still count every occurrence.
 */
const MAX_FOLLOWED = 16;

export class FileIndex {
  readonly #versions: number;
  /** Per version: its own fingerprint occurrences (not given code) in k-gram order, and a lookup by fingerprint. */
  readonly #own: OwnOccurrences[] = [];
  /** Scratch space of #walk: runs as (right position, left start, right start) triples. */
  #buffers: [Int32Array, Int32Array] = [new Int32Array(48), new Int32Array(48)];

  /**
   * @param versions each submission's tokens of this file (`undefined`: the submission lacks it)
   * @param given the given code's tokens: its fingerprints never count
   */
  constructor(
    file: string,
    versions: ReadonlyArray<Tokens | undefined>,
    given: readonly Tokens[],
    kgramTokens: number,
    windowKgrams: number,
  ) {
    const index = new FingerprintIndex(kgramTokens, windowKgrams);
    const distinct: TokenizedFile[] = [];
    const byTokens = new Map<string, number>();
    this.versionOf = versions.map((tokens) => {
      if (tokens === undefined) return undefined;
      const key = tokens.tokens.join('\u0000');
      let version = byTokens.get(key);
      if (version === undefined) {
        version = distinct.length;
        byTokens.set(key, version);
        distinct.push(new TokenizedFile(new File(file, ''), tokens.tokens, tokens.mapping));
      }
      return version;
    });
    this.#versions = distinct.length;
    index.addFiles(distinct);
    // After the students' files: dolos-core 1.2.1 ignores only fingerprints already in the index when
    // an ignored file is added (one added first leaves the same fingerprints of later files counted).
    given.forEach((tokens, i) => {
      index.addIgnoredFile(new TokenizedFile(new File(`${file} (given ${i + 1})`, ''), tokens.tokens, tokens.mapping));
    });
    // What the pairs need is read out of Dolos's index into flat arrays; the index itself (an object per
    // occurrence) is let go, so a class's memory holds one file's index at a time.
    const entries = new Map(index.entries().map((entry) => [entry.file, entry]));
    const ids = new Map<unknown, number>();
    const found = distinct.map((version) => {
      const occurrences: Array<{ id: number; kgram: number; start: number; stop: number }> = [];
      for (const shared of (entries.get(version) as FileEntry).shared) {
        let id = ids.get(shared);
        if (id === undefined) {
          id = ids.size;
          ids.set(shared, id);
        }
        for (const occurrence of shared.occurrencesOf(version))
          occurrences.push({
            id,
            kgram: occurrence.side.index,
            start: occurrence.side.start,
            stop: occurrence.side.stop,
          });
      }
      return occurrences.sort((a, b) => a.kgram - b.kgram);
    });
    for (const occurrences of found) {
      const first = new Int32Array(ids.size).fill(-1);
      const more = new Map<number, number[]>();
      occurrences.forEach((o, position) => {
        if (first[o.id] < 0) {
          first[o.id] = position;
          return;
        }
        const positions = more.get(o.id);
        if (positions) positions.push(position);
        else more.set(o.id, [first[o.id], position]);
      });
      this.#own.push({
        id: Int32Array.from(occurrences, (o) => o.id),
        kgram: Int32Array.from(occurrences, (o) => o.kgram),
        start: Int32Array.from(occurrences, (o) => o.start),
        stop: Int32Array.from(occurrences, (o) => o.stop),
        first,
        more,
      });
    }
  }

  /** Per submission (in the order given): its version's number, or undefined when it lacks the file. */
  readonly versionOf: ReadonlyArray<number | undefined>;

  get versions(): number {
    return this.#versions;
  }

  /** Fingerprint occurrences of the version's own code. */
  own(version: number): number {
    return this.#own[version].id.length;
  }

  /** What two versions share (a version compared with itself shares all its own code). */
  score(left: number, right: number): FileScore {
    return this.#walk(left, right, undefined);
  }

  /**
   * Covered counts and the longest run in one pass over each side's own occurrences (the class-wide
   * hot loop: every pair of versions of every file). A run is Dolos's fragment: it grows while the
   * k-grams of both sides follow on one another; a fingerprint that occurs more than once on the right
   * keeps one run per occurrence (at most MAX_FOLLOWED). Dolos's own Pair finds the longest with a quadratic
   * longest-common-substring, too slow for a class of hundreds. `runs` receives every run at every
   * length it reaches (positions into the sides' own occurrences).
   */
  #walk(left: number, right: number, runs: Run[] | undefined): FileScore {
    const l = this.#own[left];
    const r = this.#own[right];
    let leftCovered = 0;
    let longestTokens = 0;
    // The runs ending at the previous k-gram (`active`) and at this one (`next`): right position, start positions.
    let active = this.#buffers[0];
    let next = this.#buffers[1];
    let activeCount = 0;
    let previousKgram = -2;
    for (let i = 0; i < l.id.length; i++) {
      const id = l.id[i];
      const kgram = l.kgram[i];
      const first = r.first[id];
      if (first < 0) {
        activeCount = 0;
        previousKgram = kgram;
        continue;
      }
      leftCovered++;
      const follows = kgram === previousKgram + 1;
      const repeated = r.more.get(id);
      const count = repeated === undefined ? 1 : Math.min(repeated.length, MAX_FOLLOWED);
      if (count * 3 > next.length) {
        next = new Int32Array(count * 6);
        active = Int32Array.from({ length: count * 6 }, (_, k) => (k < activeCount * 3 ? active[k] : 0));
        this.#buffers = [active, next];
      }
      for (let c = 0; c < count; c++) {
        const position = repeated === undefined ? first : repeated[c];
        let start = i;
        let rightStart = position;
        if (follows) {
          const wanted = r.kgram[position] - 1;
          for (let a = 0; a < activeCount; a++) {
            if (r.kgram[active[3 * a]] === wanted) {
              start = active[3 * a + 1];
              rightStart = active[3 * a + 2];
              break;
            }
          }
        }
        next[3 * c] = position;
        next[3 * c + 1] = start;
        next[3 * c + 2] = rightStart;
        runs?.push({ start, stop: i, rightStart, rightStop: position });
        const tokens = l.stop[i] - l.start[start] + 1;
        if (tokens > longestTokens) longestTokens = tokens;
      }
      [active, next] = [next, active];
      activeCount = count;
      previousKgram = kgram;
    }
    let rightCovered = 0;
    for (let i = 0; i < r.id.length; i++) if (l.first[r.id[i]] >= 0) rightCovered++;
    return { leftCovered, rightCovered, longestTokens };
  }

  /**
   * The shared fragments of two versions as token ranges, longest first: the longest runs, each kept
   * only where it overlaps no longer one kept before it on either side.
   */
  fragmentRuns(left: number, right: number, most: number): TokenRun[] {
    const l = this.#own[left];
    const r = this.#own[right];
    const runs: Run[] = [];
    this.#walk(left, right, runs);
    const tokens = runs.map((run) => ({
      start: l.start[run.start],
      stop: l.stop[run.stop],
      rightStart: r.start[run.rightStart],
      rightStop: r.stop[run.rightStop],
    }));
    tokens.sort((a, b) => b.stop - b.start - (a.stop - a.start));
    const kept: TokenRun[] = [];
    for (const run of tokens) {
      if (kept.length >= most) break;
      if (
        kept.some((k) => run.start <= k.stop && k.start <= run.stop) ||
        kept.some((k) => run.rightStart <= k.rightStop && k.rightStart <= run.rightStop)
      )
        continue;
      kept.push(run);
    }
    return kept;
  }
}

interface OwnOccurrences {
  /** Dense fingerprint ids, k-gram numbers and token ranges, in k-gram order. */
  readonly id: Int32Array;
  readonly kgram: Int32Array;
  readonly start: Int32Array;
  readonly stop: Int32Array;
  /** Fingerprint id → its first position here (−1: absent); `more`: every position of those that repeat. */
  readonly first: Int32Array;
  readonly more: Map<number, number[]>;
}

/** A run in positions of the two sides' own occurrences: [start, stop] on the left, [rightStart, rightStop] on the right. */
interface Run {
  readonly start: number;
  readonly stop: number;
  readonly rightStart: number;
  readonly rightStop: number;
}

/** A run of shared tokens: [start, stop] on the left, [rightStart, rightStop] on the right (token numbers). */
export interface TokenRun {
  readonly start: number;
  readonly stop: number;
  readonly rightStart: number;
  readonly rightStop: number;
}
