/**
 * What the similarity index finds (similarity.json, schema `dlkit-similarity` version 1) and the
 * settings it was found with. Line numbers count from 1; token counts are of the tokens the index sees
 * (tokenize-typescript.ts, tokenize-wgsl.ts), not characters.
 */
export interface SimilaritySettings {
  /** Tokens in one k-gram: the shortest run of tokens that can match at all. */
  readonly kgramTokens: number;
  /** Winnowing window, in k-grams: every shared run of kgramTokens + windowKgrams − 1 tokens is found. */
  readonly windowKgrams: number;
  /** A pair is flagged when its similarity is at least this … */
  readonly threshold: number;
  /** … and its longest shared run of tokens is at least this long. */
  readonly minimumRunTokens: number;
  /** Flagged pairs listed per component, at most (the count of all is in `flaggedPairs`). */
  readonly maxPairsListed: number;
  /** Pairs listed per component besides the flagged ones (the highest below the threshold, for context). */
  readonly contextPairs: number;
  /** The first this many listed pairs of a component come with their shared fragments. */
  readonly pairsWithFragments: number;
  /** Shared fragments kept per pair (the longest). */
  readonly fragmentsPerPair: number;
}

export const DEFAULT_SIMILARITY_SETTINGS: SimilaritySettings = {
  kgramTokens: 12,
  windowKgrams: 8,
  threshold: 0.6,
  minimumRunTokens: 60,
  maxPairsListed: 200,
  contextPairs: 5,
  pairsWithFragments: 10,
  fragmentsPerPair: 6,
};

export interface LineRange {
  readonly startLine: number;
  readonly endLine: number;
}

export interface SharedFragment {
  /** The owned file, relative to exercises/. */
  readonly file: string;
  /** Tokens in the fragment (on the left side). */
  readonly tokens: number;
  readonly left: LineRange;
  readonly right: LineRange;
}

export interface PairResult {
  /** Submission ids, `left` before `right` in the submissions' order. */
  readonly left: string;
  readonly right: string;
  /**
   * Present when left and right hand in the same code token for token (up to names, strings,
   * comments and layout): every submission that does, left and right among them.
   */
  readonly identical?: readonly string[];
  /** Present when other submissions hand in the same code as `left` (every one of them, left first); they pair with `right` alike. */
  readonly leftGroup?: readonly string[];
  readonly rightGroup?: readonly string[];
  /**
   * Shared fingerprints over all fingerprints of student-written code, both sides together
   * ((covered left + covered right) / (own left + own right), Dolos's measure); 0 to 1.
   */
  readonly similarity: number;
  /** The longest run of tokens both share, in tokens. */
  readonly longestTokens: number;
  /** similarity ≥ threshold and longestTokens ≥ minimumRunTokens. */
  readonly flagged: boolean;
  readonly fragments: readonly SharedFragment[];
}

export interface ComponentSimilarity {
  readonly exercise: string;
  readonly component: string;
  readonly files: readonly string[];
  /** Submissions with code of their own in this component (untouched stubs have none). */
  readonly withOwnCode: number;
  /** How many different codes those are (submissions with the same tokens are compared once). */
  readonly distinct: number;
  /** Pairs of those submissions compared. */
  readonly pairsCompared: number;
  /** Pairs of submissions flagged, counting every member of a group of identical ones. */
  readonly flaggedPairs: number;
  /** The flagged pairs (at most `maxPairsListed`), then up to `contextPairs` more, by similarity then longest run. */
  readonly pairs: readonly PairResult[];
}

export interface SimilarityResult {
  readonly schema: 'dlkit-similarity';
  readonly version: 1;
  readonly generatedAt: string;
  readonly settings: SimilaritySettings;
  readonly submissions: readonly string[];
  /** Submissions that could not be read (and why): they are in no pair. */
  readonly unreadable: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
  readonly components: readonly ComponentSimilarity[];
  /** Pairs flagged in more than one component, most components first. */
  readonly repeatedPairs: ReadonlyArray<{
    readonly left: string;
    readonly right: string;
    readonly components: readonly string[];
  }>;
  readonly seconds: number;
}
