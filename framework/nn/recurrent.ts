import { ShapeError, ValueError } from '../errors.js';
import { zeros } from '../tensor/create.js';
import { expectFinite } from '../tensor/checks.js';
import { formatShape } from '../tensor/shape.js';
import type { Rng } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Options shared by the recurrent layers of Exercise 4 (RNN, LSTM, GRU), as DESIGN §3 names them.
 * Given code: the bookkeeping, so that a stub layer still checks its options and shapes.
 */
export interface RecurrentOptions {
  /** Features per time step of the input [batch, time, inputSize]. */
  inputSize: number;
  /** Size of the hidden state h_t (and of the LSTM's cell state c_t). */
  hiddenSize: number;
  /** Features per time step of the output [batch, time, outputSize]: y_t = h_t·Why + by. */
  outputSize: number;
  /**
   * Carry the last state of one `forward` into the next (truncated BPTT: the gradient stops at the
   * call boundary). Default false: every forward starts from `initialState` or zeros.
   */
  stateful?: boolean;
  /** Generator for the initial weights; the shared default generator when left out. */
  rng?: Rng;
}

/** Throws a ValueError unless the sizes are positive integers. */
export function checkRecurrentOptions(options: RecurrentOptions, where: string): void {
  for (const key of ['inputSize', 'hiddenSize', 'outputSize'] as const) {
    const value = options[key];
    if (!Number.isInteger(value) || value <= 0)
      throw new ValueError(`${where}: ${key} must be a positive integer, got ${value}`);
  }
}

/**
 * The state a forward pass starts from: `given` checked against [batch, hidden], or zeros.
 * A wrong batch size usually means a stateful layer kept the state of a differently sized batch.
 */
export function startState(
  given: Tensor | undefined,
  batch: number,
  hidden: number,
  where: string,
  what: string,
): Tensor {
  if (given === undefined) return zeros([batch, hidden]);
  if (given.rank !== 2 || given.shape[0] !== batch || given.shape[1] !== hidden) {
    throw new ShapeError(
      `${where} expected ${what} [${batch}, ${hidden}] for a batch of ${batch}, got ${formatShape(given.shape)}; call resetState() when the batch size changes`,
    );
  }
  expectFinite(given, where, what);
  return given;
}
