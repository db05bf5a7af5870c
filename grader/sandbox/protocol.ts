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
 * Splits a byte stream into frames. `push` returns the frames completed so far; a frame over
 * MAX_FRAME_BYTES or one that is not valid JSON throws (the caller treats that as tampering).
 */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): unknown[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: unknown[] = [];
    while (this.#pending.length >= 4) {
      const length = this.#pending.readUInt32BE(0);
      if (length > MAX_FRAME_BYTES) throw new Error(`a frame of ${length} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit`);
      if (this.#pending.length < 4 + length) break;
      const text = this.#pending.subarray(4, 4 + length).toString('utf8');
      this.#pending = this.#pending.subarray(4 + length);
      frames.push(JSON.parse(text, reviveNonFinite));
    }
    return frames;
  }

  /** Bytes of an unfinished frame left when the stream ended. */
  get leftover(): number {
    return this.#pending.length;
  }
}
