/**
 * Components of later exercises that the page offers once they exist in the implementation folder
 * (the build looks for the file and the exported class; browser-plugin.ts turns this list into the
 * virtual module `playground:optional`). Plain data: read by the build (Node) and by the page.
 */
export interface OptionalComponent {
  /** The exported class, also the name in the layer menu. */
  readonly kind: string;
  /** Its file under solutions/ or exercises/. */
  readonly file: string;
}

export const optionalComponents: readonly OptionalComponent[] = [
  { kind: 'LeakyReLU', file: 'activations/leaky-relu.ts' },
  { kind: 'ELU', file: 'activations/elu.ts' },
  { kind: 'SELU', file: 'activations/selu.ts' },
  { kind: 'AvgPool', file: 'layers/avg-pool.ts' },
  { kind: 'LayerNorm', file: 'layers/layer-norm.ts' },
];
