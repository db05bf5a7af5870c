import { ValueError } from '../errors.js';

/** A pooling layer's options, as MaxPool and AvgPool take them. */
export interface PoolingOptions {
  /** The window [ph, pw]. */
  readonly kernelSize: readonly number[];
  /** One number for both axes or [sh, sw]; the window by default, so the windows tile the input (004: 3226). */
  readonly stride?: number | readonly number[];
}

/**
 * The window and stride of a pooling layer, checked: two positive integers each, the stride defaulting
 * to the window. `layer` names the layer in the error ('MaxPool', 'AvgPool').
 */
export function poolingWindow(
  options: PoolingOptions,
  layer: string,
): { kernelSize: [number, number]; stride: [number, number] } {
  const { kernelSize } = options;
  if (
    !Array.isArray(kernelSize) ||
    kernelSize.length !== 2 ||
    !kernelSize.every((k) => Number.isInteger(k) && k >= 1)
  ) {
    throw new ValueError(
      `${layer}: kernelSize must be [ph, pw] with positive integers, got ${JSON.stringify(kernelSize)}`,
    );
  }
  const stride =
    options.stride === undefined
      ? [...kernelSize]
      : typeof options.stride === 'number'
        ? [options.stride, options.stride]
        : [...options.stride];
  if (stride.length !== 2 || !stride.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new ValueError(
      `${layer}: stride must be a positive integer or [sh, sw], got ${JSON.stringify(options.stride)}`,
    );
  }
  return { kernelSize: [kernelSize[0], kernelSize[1]], stride: [stride[0], stride[1]] };
}
