import type { TensorData } from '../harness/data.js';
import type { PoolDefinition } from './pooling-checks.js';

/**
 * Average pooling written straight from its definition, for the AvgPool and GlobalAvgPool checks (plain
 * data in, plain data out, so `verify` can call it; `dy` is read in row-major order, so GlobalAvgPool's
 * [batch, C] serves as [batch, C, 1, 1]): 'valid' windows, ⌊(n − p)/s⌋ + 1 positions per
 * axis (seed 000: 2169–2171), y = the window's mean, and backward "shared to equal parts" (004: 3242):
 * each window adds ∂L/∂y / (ph·pw) to each of its inputs. `mistake` gives the gradient of a known wrong
 * backward, so a failing check can name the mistake it sees.
 */
export type AvgPoolMistake =
  /** dx = … instead of +=: where windows overlap, the last window overwrites the others. */
  | 'assign'
  /** the whole ∂L/∂y of a window goes to its first element, as max pooling does with its maximum. */
  | 'first'
  /** ∂L/∂y copied to every input of the window without dividing by the window's area. */
  | 'undivided';

export function avgPoolDefinition(
  x: TensorData,
  kernel: readonly [number, number],
  stride: readonly [number, number],
  dy: TensorData,
  mistake?: AvgPoolMistake,
): PoolDefinition {
  const [batch, channels, height, width] = x.shape;
  const [ph, pw] = kernel;
  const [sh, sw] = stride;
  const oh = Math.floor((height - ph) / sh) + 1;
  const ow = Math.floor((width - pw) / sw) + 1;
  const at = (b: number, c: number, r: number, s: number): number => ((b * channels + c) * height + r) * width + s;
  const y: number[] = [];
  const dx = new Array<number>(x.data.length).fill(0);
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < channels; c++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          const window: number[] = [];
          for (let m = 0; m < ph; m++) for (let n = 0; n < pw; n++) window.push(at(b, c, i * sh + m, j * sw + n));
          y.push(window.reduce((total, k) => total + x.data[k], 0) / (ph * pw));
          const g = dy.data[((b * channels + c) * oh + i) * ow + j];
          if (mistake === 'first') dx[window[0]] += g;
          else
            for (const k of window)
              dx[k] = (mistake === 'assign' ? 0 : dx[k]) + (mistake === 'undivided' ? g : g / (ph * pw));
        }
  return { y: { shape: [batch, channels, oh, ow], data: y }, dx: { shape: [...x.shape], data: dx } };
}
