/** The modules the build generates (tools/playground/browser-plugin.ts). */
declare module 'playground:data' {
  export const iris: { features: number[]; labels: number[]; classNames: string[]; featureNames: string[] };
  /** Pixels 0…16, 64 per image, row-major 8×8. */
  export const digits: { pixels: number[]; labels: number[]; classNames: string[] };
}

declare module 'playground:optional' {
  import type { Layer } from '../../../framework/nn/layer.js';
  /** The later exercises' classes present in the implementation, by class name. */
  export const optional: Record<string, new (...args: never[]) => Layer>;
}
