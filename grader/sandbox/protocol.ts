/**
 * The channel between a sandboxed case process and the orchestrator: frames on file descriptor 3, each a
 * 4-byte big-endian length and that many bytes of UTF-8 JSON. Nothing else the process prints counts.
 * JSON has no NaN or ±∞, so the runner sends them as `{ "$nonfinite": "NaN" }` and the orchestrator turns
 * them back into numbers (which then fail every comparison with a finite reference).
 */

/** Marks a file the bundle carries (sandbox/bundle.ts) whose content is base64 (binary data such as digits.csv.gz). */
export const BASE64_PREFIX = 'base64:';

/** The file descriptor the runner writes frames to. */
export const CHANNEL_FD = 3;

/** The largest single frame the orchestrator accepts; a longer one ends the process as tampering. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/**
 * The deepest nesting of arrays and objects a frame may have. A case's data is a few levels deep
 * (`{ output: { shape, data } }`); a forged frame nested thousands of levels deep would overflow the
 * orchestrator's stack in JSON.parse's reviver or in the comparison, so it is refused unparsed.
 */
export const MAX_FRAME_DEPTH = 64;

/** The most a process may send in all; past this it is killed (a flood of frames is not a result). */
export const MAX_CHANNEL_BYTES = 32 * 1024 * 1024;

/** How the orchestrator tells the runner what to do: JSON in the environment variable below. */
export const CONFIG_VARIABLE = 'DLKIT_GRADER_CONFIG';

export interface RunnerConfig {
  /** The base seed: each check's Rng is seeded from it and the check's key (checks-to-run.ts). */
  readonly seed: number;
  /** Which checks to run: the public ones, or the hidden reruns and hidden-only checks. */
  readonly visibility: 'public' | 'hidden';
  /** Case ids already finished by an earlier process (after a timeout or crash): skip them. */
  readonly skip: readonly string[];
  /** A WebGPU component: the `webgpu` package's index.js to load before any student module. */
  readonly webgpuModule?: string;
}

/** An error thrown by the student's code, as data. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
  /** Set when the error is the stub's NotImplementedError. */
  readonly notImplemented?: { readonly exercise: string; readonly component: string; readonly handout: string };
}

export type Frame =
  | { readonly t: 'hello'; readonly checks: readonly string[] }
  | { readonly t: 'start'; readonly id: string }
  | { readonly t: 'result'; readonly id: string; readonly data: unknown }
  | { readonly t: 'error'; readonly id: string; readonly error: ErrorData }
  | { readonly t: 'load-error'; readonly error: ErrorData }
  | { readonly t: 'done' };

export { NONFINITE_KEY, reviveNonFinite } from '../../tests/harness/plain-data.js';
import { reviveNonFinite } from '../../tests/harness/plain-data.js';

/**
 * Splits a byte stream into frames. `push` returns the frames completed so far and, at the first frame
 * over MAX_FRAME_BYTES, too deep, not valid JSON or not an object, why it stopped there (the caller
 * handles the frames before it, then treats the rest as tampering).
 */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): { frames: unknown[]; malformed?: string } {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: unknown[] = [];
    while (this.#pending.length >= 4) {
      const length = this.#pending.readUInt32BE(0);
      if (length > MAX_FRAME_BYTES)
        return { frames, malformed: `a frame of ${length} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit` };
      if (this.#pending.length < 4 + length) break;
      const text = this.#pending.subarray(4, 4 + length).toString('utf8');
      this.#pending = this.#pending.subarray(4 + length);
      if (nestingDepth(text) > MAX_FRAME_DEPTH)
        return { frames, malformed: `a frame nested more than ${MAX_FRAME_DEPTH} levels deep` };
      let frame: unknown;
      try {
        frame = JSON.parse(text, reviveNonFinite);
      } catch (error) {
        return { frames, malformed: `a frame that is not JSON: ${(error as Error).message}` };
      }
      if (frame === null || typeof frame !== 'object' || Array.isArray(frame))
        return { frames, malformed: 'a frame that is not a JSON object' };
      frames.push(frame);
    }
    return { frames };
  }

  /** Bytes of an unfinished frame left when the stream ended. */
  get leftover(): number {
    return this.#pending.length;
  }
}

/** How deeply the arrays and objects of a JSON text nest (brackets inside strings do not count); iterative, so any depth is safe to measure. */
export function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
