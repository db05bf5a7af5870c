/**
 * The Exercise 2 optimizers written out with plain loops over plain arrays, for `verify` (pure: no
 * tensors, no student code): what a check's data is compared against when its inputs come from the
 * check's seed. The fixed 5-step trajectories of tests/ex2/reference/optimizer-trajectories.json come
 * from an independent Python script (optimizer_trajectories.py beside it) and are compared as they are
 * (`ReferenceFile`).
 *
 * Every rule as the handout writes it (docs/exercises/2-convolutional.md), v⁽⁰⁾ = r⁽⁰⁾ = 0, ε outside
 * the square root, Adam's step count k from 1; with a regularizer R (here the test-local L2 double,
 * ∇R(w) = 2αw) a weight also loses η·∇R(w_old) after the update, and AdamW's decay η·λ·w_old falls on
 * weights only (DESIGN §3).
 */
export type OptimizerName = 'SgdMomentum' | 'Nesterov' | 'AdaGrad' | 'RMSProp' | 'Adam' | 'AdamW';
export type Role = 'weight' | 'bias' | 'scale' | 'shift';

/** Hyper-parameters under the constructors' option names. */
export interface Hyper {
  lr: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  rho?: number;
  weightDecay?: number;
}

/** The defaults the handout gives (learning rate included where the constructor has one). */
export const DEFAULTS: Readonly<Record<OptimizerName, Partial<Hyper>>> = {
  SgdMomentum: { momentum: 0.9 },
  Nesterov: { momentum: 0.9 },
  AdaGrad: { lr: 0.01, eps: 1e-7 },
  RMSProp: { lr: 1e-3, rho: 0.9, eps: 1e-6 },
  Adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  AdamW: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
};

interface State {
  k: number;
  first?: number[];
  second?: number[];
}

/** One optimizer by its definition; state per parameter index. */
export class OptimizerDefinition {
  readonly hyper: Required<Hyper>;
  readonly #states = new Map<number, State>();

  /** `l2`: α of the L2 double passed as `regularizer` (0 when none). */
  constructor(
    readonly name: OptimizerName,
    hyper: Hyper,
    readonly l2 = 0,
  ) {
    this.hyper = {
      momentum: 0,
      beta1: 0,
      beta2: 0,
      eps: 0,
      rho: 0,
      weightDecay: 0,
      ...DEFAULTS[name],
      ...hyper,
    } as Required<Hyper>;
  }

  /** The values of every parameter after one step on `grads`. */
  step(
    values: readonly (readonly number[])[],
    grads: readonly (readonly number[])[],
    roles: readonly Role[],
  ): number[][] {
    return values.map((value, p) => {
      const state = this.#states.get(p) ?? { k: 0 };
      this.#states.set(p, state);
      const next = this.#update(value, grads[p], state);
      if (roles[p] === 'weight') {
        const { lr, weightDecay } = this.hyper;
        for (let i = 0; i < next.length; i++) {
          next[i] -= lr * 2 * this.l2 * value[i];
          if (this.name === 'AdamW') next[i] -= lr * weightDecay * value[i];
        }
      }
      return next;
    });
  }

  #update(w: readonly number[], g: readonly number[], state: State): number[] {
    const { lr, momentum: mu, beta1, beta2, eps, rho } = this.hyper;
    const n = w.length;
    const first = state.first ?? new Array<number>(n).fill(0);
    const second = state.second ?? new Array<number>(n).fill(0);
    const next = [...w];
    state.k += 1;
    for (let i = 0; i < n; i++) {
      switch (this.name) {
        case 'SgdMomentum': // v ← μv − ηg, w ← w + v (004: 2435)
          first[i] = mu * first[i] - lr * g[i];
          next[i] = w[i] + first[i];
          break;
        case 'Nesterov': {
          // v ← μv − ηg, w ← w − μ·v_old + (1 + μ)·v (004: 2452–2454)
          const old = first[i];
          first[i] = mu * old - lr * g[i];
          next[i] = w[i] - mu * old + (1 + mu) * first[i];
          break;
        }
        case 'AdaGrad': // r ← r + g², w ← w − η·g/(√r + ε) (004: 2475–2479)
          second[i] += g[i] * g[i];
          next[i] = w[i] - (lr * g[i]) / (Math.sqrt(second[i]) + eps);
          break;
        case 'RMSProp': // r ← ρr + (1 − ρ)g², w ← w − η·g/(√r + ε) (004: 2491–2495)
          second[i] = rho * second[i] + (1 - rho) * g[i] * g[i];
          next[i] = w[i] - (lr * g[i]) / (Math.sqrt(second[i]) + eps);
          break;
        case 'Adam':
        case 'AdamW': {
          // 000: 2534–2552
          first[i] = beta1 * first[i] + (1 - beta1) * g[i];
          second[i] = beta2 * second[i] + (1 - beta2) * g[i] * g[i];
          const firstHat = first[i] / (1 - beta1 ** state.k);
          const secondHat = second[i] / (1 - beta2 ** state.k);
          next[i] = w[i] - (lr * firstHat) / (Math.sqrt(secondHat) + eps);
          break;
        }
      }
    }
    state.first = first;
    state.second = second;
    return next;
  }
}

/**
 * tests/ex2/reference/optimizer-trajectories.json as the test files import it (helpers may not import
 * from an exercise's folder): the test problem, a weight [4] (role 'weight') and a bias [2] (role
 * 'bias') with L = ½ Σ a (p − c)², so ∂L/∂p = a ⊙ (p − c) at the current values; and each optimizer's
 * hyper-parameters (Python names) and its values after each of 5 steps.
 */
export interface ReferenceFile {
  readonly problem: Problem;
  readonly cases: Readonly<
    Record<
      string,
      {
        readonly hyper: Readonly<Record<string, number>>;
        readonly trajectory: readonly Readonly<Record<string, readonly number[]>>[];
      }
    >
  >;
}

export interface Problem {
  readonly start: Readonly<Record<ProblemName, readonly number[]>>;
  readonly curvature: Readonly<Record<ProblemName, readonly number[]>>;
  readonly target: Readonly<Record<ProblemName, readonly number[]>>;
}

export type ProblemName = 'weight' | 'bias';
export const PROBLEM_NAMES: readonly ProblemName[] = ['weight', 'bias'];
export const PROBLEM_ROLES: readonly Role[] = ['weight', 'bias'];

/** The independent script's case: its hyper-parameters under the constructors' names, and its trajectory (weight, bias per step). */
export function referenceCase(file: ReferenceFile, name: OptimizerName): { hyper: Hyper; trajectory: number[][][] } {
  const entry = file.cases[name];
  const hyper: Hyper = { lr: entry.hyper.lr };
  for (const [key, value] of Object.entries(entry.hyper)) {
    if (key === 'lr') continue;
    (hyper as unknown as Record<string, number>)[key === 'weight_decay' ? 'weightDecay' : key] = value;
  }
  return { hyper, trajectory: entry.trajectory.map((after) => PROBLEM_NAMES.map((key) => [...after[key]])) };
}
