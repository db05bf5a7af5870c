import { DlkitError } from '../errors.js';
import { tensor } from '../tensor/create.js';
import { formatShape, sameShape, sizeOf } from '../tensor/shape.js';
import type { Layer } from '../nn/layer.js';

/** Saved weights: every layer's parameters and buffers, by position. JSON round-trips float64 exactly. */
export interface SavedWeights {
  format: 'dlkit-weights';
  version: 1;
  layers: SavedLayer[];
}

interface SavedTensor {
  shape: number[];
  data: number[];
}

interface SavedLayer {
  name: string;
  parameters: Record<string, SavedTensor>;
  buffers: Record<string, SavedTensor>;
}

const save = (t: { shape: readonly number[]; data: ArrayLike<number> }): SavedTensor => ({
  shape: [...t.shape],
  data: Array.from(t.data),
});

/**
 * The key of each of a layer's parameters in the file, in `parameters()` order: its name, or, for a name
 * the layer uses more than once (a ResidualBlock lists its body's parameters: two `weight`s and two
 * `bias`es), `name#k` with k = 1, 2, … counting that name's occurrences in order. A layer whose names are
 * all distinct is stored exactly as before, so existing files still load.
 */
export function parameterKeys(names: readonly string[]): string[] {
  const total = new Map<string, number>();
  for (const name of names) total.set(name, (total.get(name) ?? 0) + 1);
  const seen = new Map<string, number>();
  return names.map((name) => {
    if (total.get(name) === 1) return name;
    const k = (seen.get(name) ?? 0) + 1;
    seen.set(name, k);
    return `${name}#${k}`;
  });
}

/** The weights and running statistics of `layers`, as plain JSON-ready data. */
export function saveWeights(layers: readonly Layer[]): SavedWeights {
  return {
    format: 'dlkit-weights',
    version: 1,
    layers: layers.map((layer) => ({
      name: layer.name,
      parameters: savedParameters(layer),
      buffers: Object.fromEntries(Object.entries(layer.buffers?.() ?? {}).map(([name, t]) => [name, save(t)])),
    })),
  };
}

/**
 * Loads saved weights into `layers` (the same architecture). Everything is checked before anything
 * is written, so a mismatched file leaves the network as it was.
 */
export function loadWeights(layers: readonly Layer[], json: unknown): void {
  const saved = json as SavedWeights;
  if (saved?.format !== 'dlkit-weights' || saved.version !== 1 || !Array.isArray(saved.layers)) {
    throw new DlkitError(
      "loadWeights: not a dlkit weights file (expected { format: 'dlkit-weights', version: 1, layers: [...] })",
    );
  }
  if (saved.layers.length !== layers.length) {
    throw new DlkitError(`loadWeights: the file has ${saved.layers.length} layers, the network has ${layers.length}`);
  }
  const writes: (() => void)[] = [];
  layers.forEach((layer, i) => {
    const entry = saved.layers[i];
    const where = `loadWeights: layer ${i} (${layer.name})`;
    if (entry?.name !== layer.name) throw new DlkitError(`${where}: the file has a ${entry?.name} here`);
    const check = (name: string, shape: readonly number[], stored: SavedTensor | undefined): SavedTensor => {
      if (!stored || !Array.isArray(stored.shape) || !Array.isArray(stored.data))
        throw new DlkitError(`${where}: '${name}' is missing from the file`);
      if (!sameShape(stored.shape, shape) || stored.data.length !== sizeOf(shape)) {
        throw new DlkitError(
          `${where}: '${name}' is ${formatShape(stored.shape)} in the file but ${formatShape(shape)} in the network`,
        );
      }
      if (!stored.data.every((v) => typeof v === 'number' && Number.isFinite(v)))
        throw new DlkitError(`${where}: '${name}' holds a value that is not a finite number`);
      return stored;
    };
    const parameters = layer.parameters();
    const keys = parameterKeys(parameters.map((p) => p.name));
    parameters.forEach((parameter, p) => {
      const stored = check(keys[p], parameter.value.shape, entry.parameters?.[keys[p]]);
      writes.push(() => parameter.assign(tensor(stored.data, stored.shape, parameter.value.dtype)));
    });
    for (const [name, buffer] of Object.entries(layer.buffers?.() ?? {})) {
      const stored = check(name, buffer.shape, entry.buffers?.[name]);
      writes.push(() => buffer.data.set(stored.data));
    }
  });
  for (const write of writes) write();
}

/** One layer's parameters by their keys (`parameterKeys`), so no parameter overwrites another of the same name. */
function savedParameters(layer: Layer): Record<string, SavedTensor> {
  const parameters = layer.parameters();
  const keys = parameterKeys(parameters.map((p) => p.name));
  return Object.fromEntries(parameters.map((p, i) => [keys[i], save(p.value)]));
}
