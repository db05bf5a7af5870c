import { ValueError } from '../errors.js';
import { allocate, Tensor, type DType } from '../tensor/tensor.js';
import { sizeOf } from '../tensor/shape.js';

/**
 * A seedable pseudo-random generator (xoshiro128**, seeded through splitmix32). Every random number
 * in the kit comes from one of these, passed in or taken from the network: never Math.random().
 * The same seed gives the same stream on every machine.
 */
export class Rng {
  #s0 = 0;
  #s1 = 0;
  #s2 = 0;
  #s3 = 0;
  #spareNormal: number | undefined;

  constructor(readonly seed: number) {
    if (!Number.isFinite(seed)) throw new ValueError(`Rng: seed must be a finite number, got ${seed}`);
    let state = seed >>> 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#s0 = splitmix32();
    this.#s1 = splitmix32();
    this.#s2 = splitmix32();
    this.#s3 = splitmix32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5), 7), 9) >>> 0;
    const t = this.#s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform on [low, high). */
  uniformIn(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Standard normal N(0, 1) by the Box–Muller transform. */
  normal(): number {
    if (this.#spareNormal !== undefined) {
      const spare = this.#spareNormal;
      this.#spareNormal = undefined;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** A uniformly chosen integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new ValueError(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** A random permutation of 0…n−1 (Fisher–Yates). */
  permutation(n: number): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }

  /** A tensor of independent U[low, high) draws. */
  uniformTensor(shape: readonly number[], low = 0, high = 1, dtype: DType = 'float64'): Tensor {
    const data = allocate(dtype, sizeOf(shape));
    for (let i = 0; i < data.length; i++) data[i] = this.uniformIn(low, high);
    return new Tensor(shape, data);
  }

  /** A tensor of independent N(mean, std²) draws. */
  normalTensor(shape: readonly number[], mean = 0, std = 1, dtype: DType = 'float64'): Tensor {
    const data = allocate(dtype, sizeOf(shape));
    for (let i = 0; i < data.length; i++) data[i] = mean + std * this.normal();
    return new Tensor(shape, data);
  }

  /** An independent generator derived from this one (for giving each layer its own stream). */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
