import { DeviceError, ShapeError, ValueError } from '../errors.js';
import { formatShape, sameShape, sizeOf, stridesOf, validateShape } from './shape.js';
import { deviceBackend } from '../backend/devices.js';

/** Element type: float64 is the CPU default (the oracle); float32 is what WebGPU computes in. */
export type DType = 'float64' | 'float32';

/** Where a tensor's elements live. CPU tensors expose `data`; others hold backend-owned `storage`. */
export type Device = 'cpu' | 'webgpu';

export type TypedArray = Float64Array | Float32Array;

/** Nested arrays of numbers, as written in a test: `[[1, 2], [3, 4]]`. */
export type NestedArray = number | NestedArray[];

export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/**
 * An n-dimensional array of numbers, row-major, batch on the first axis.
 *
 * A tensor's shape never changes; `reshape` returns a new tensor over the same elements.
 * On the CPU its elements are the typed array `data`; on another device they are
 * backend-owned `storage`, and `await tensor.to('cpu')` brings them back.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly device: Device;
  readonly size: number;
  /** Backend-owned storage on a non-CPU device (e.g. a GPUBuffer); undefined on the CPU. */
  readonly storage: unknown;
  readonly #data: TypedArray | undefined;

  constructor(shape: readonly number[], data: TypedArray, options?: { device?: 'cpu' });
  constructor(shape: readonly number[], data: undefined, options: { device: Device; dtype: DType; storage: unknown });
  constructor(
    shape: readonly number[],
    data: TypedArray | undefined,
    options: { device?: Device; dtype?: DType; storage?: unknown } = {},
  ) {
    validateShape(shape, 'Tensor');
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.device = options.device ?? 'cpu';
    if (this.device === 'cpu') {
      if (!data) throw new ValueError('Tensor: a CPU tensor needs its data');
      if (data.length !== this.size) {
        throw new ShapeError(
          `Tensor: shape ${formatShape(shape)} holds ${this.size} elements, but the data has ${data.length}`,
        );
      }
      this.#data = data;
      this.dtype = data instanceof Float64Array ? 'float64' : 'float32';
    } else {
      this.dtype = options.dtype ?? 'float32';
    }
    this.storage = options.storage;
  }

  /** The elements, row-major. Only CPU tensors have them: call `await t.to('cpu')` first otherwise. */
  get data(): TypedArray {
    if (this.#data === undefined) {
      throw new DeviceError(
        `This tensor ${formatShape(this.shape)} lives on '${this.device}': call \`await tensor.to('cpu')\` before reading its data`,
      );
    }
    return this.#data;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The element at a full index: `t.get(row, column)`. */
  get(...index: number[]): number {
    return this.data[this.offsetOf(index)];
  }

  /** Writes one element in place (tests and data loading; layers build new tensors). */
  set(value: number, ...index: number[]): void {
    this.data[this.offsetOf(index)] = value;
  }

  /** The single element of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new ShapeError(`Tensor.item expected a tensor with one element, got ${formatShape(this.shape)}`);
    return this.data[0];
  }

  /** Same elements, new shape; one dimension may be −1 and is inferred. Shares the data (a view). */
  reshape(shape: readonly number[]): Tensor {
    const inferred = [...shape];
    const unknown = inferred.indexOf(-1);
    if (unknown >= 0) {
      const known = sizeOf(inferred.filter((_, axis) => axis !== unknown));
      inferred[unknown] = known === 0 ? 0 : this.size / known;
    }
    if (sizeOf(inferred) !== this.size || !inferred.every((dim) => Number.isInteger(dim) && dim >= 0)) {
      throw new ShapeError(
        `Tensor.reshape cannot view ${formatShape(this.shape)} (${this.size} elements) as ${formatShape(shape)}`,
      );
    }
    if (this.device !== 'cpu') return deviceBackend(this.device).reshape(this, inferred);
    return new Tensor(inferred, this.data);
  }

  /** A deep copy on the same device. */
  clone(): Tensor {
    if (this.device !== 'cpu') return deviceBackend(this.device).clone(this);
    return new Tensor(this.shape, this.data.slice());
  }

  /** The same values in the other precision (CPU only). */
  asType(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    const converted = allocate(dtype, this.size);
    converted.set(this.data);
    return new Tensor(this.shape, converted);
  }

  /** Copies this tensor to `device` (float32 on WebGPU). Resolves to `this` when it is already there. */
  async to(device: Device): Promise<Tensor> {
    if (device === this.device) return this;
    if (device === 'cpu') return deviceBackend(this.device).download(this);
    return deviceBackend(device).upload(this);
  }

  /** Nested arrays, for printing and for comparing in tests. */
  toArray(): NestedArray {
    const data = this.data;
    const build = (axis: number, offset: number, strides: number[]): NestedArray => {
      if (axis === this.rank) return data[offset];
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[axis]; i++) out.push(build(axis + 1, offset + i * strides[axis], strides));
      return out;
    };
    return build(0, 0, stridesOf(this.shape));
  }

  toString(): string {
    if (this.device !== 'cpu') return `Tensor(${formatShape(this.shape)}, ${this.dtype}, on ${this.device})`;
    return `Tensor(${formatShape(this.shape)}, ${this.dtype}) ${JSON.stringify(this.toArray())}`;
  }

  private offsetOf(index: readonly number[]): number {
    if (index.length !== this.rank) {
      throw new ShapeError(
        `Tensor.get expected ${this.rank} indices for shape ${formatShape(this.shape)}, got ${index.length}`,
      );
    }
    let offset = 0;
    let stride = 1;
    for (let axis = this.rank - 1; axis >= 0; axis--) {
      const i = index[axis];
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[axis]) {
        throw new ShapeError(`Tensor.get: index ${i} is out of range on axis ${axis} of ${formatShape(this.shape)}`);
      }
      offset += i * stride;
      stride *= this.shape[axis];
    }
    return offset;
  }

  /** True when both tensors have the same shape and exactly the same elements. */
  equals(other: Tensor): boolean {
    if (!sameShape(this.shape, other.shape)) return false;
    const a = this.data;
    const b = other.data;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
}
