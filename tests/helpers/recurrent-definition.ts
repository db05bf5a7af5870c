import type { TensorData } from '../harness/data.js';
import { closeEnough, expectClose, fail } from '../harness/verify.js';

/**
 * The Exercise 4 recurrent layers written out with plain loops on plain data, for the checks' `verify`
 * (pure: no tensors, no student code). One sequence of the batch at a time, row vectors as in the kit:
 *
 *   RNN   u_t = x_t·Wxh + h_{t−1}·Whh + bh,  h_t = tanh(u_t)
 *   LSTM  a_t = x_t·Wx + h_{t−1}·Wh + b, blocks i | f | g | o;  c_t = f⊙c_{t−1} + i⊙g,  h_t = o⊙tanh(c_t)
 *   GRU   blocks r | z | n;  n_t = tanh(x_t·Wx_n + (r⊙h_{t−1})·Wh_n + b_n),  h_t = (1−z)⊙h_{t−1} + z⊙n_t
 *   all   y_t = h_t·Why + by
 *
 * and backward through time for an upstream gradient E = ∂L/∂y. Besides the definition it computes a
 * few wrong versions (a `Mistake`), so that a failing check can say which mistake the numbers show
 * (gates in another order, the GRU's interpolation swapped, the state not carried, the gradient cut
 * after one step) instead of only "element 3 differs".
 */
export type RecurrentKind = 'RNN' | 'LSTM' | 'GRU';

/** Everything a check's run returns about one forward/backward pass of a recurrent layer. */
export interface RecurrentPass {
  /** The parameter values by name (parameterData). */
  readonly weights: Record<string, TensorData>;
  /** x [batch, time, in]. */
  readonly x: TensorData;
  /** h_0 given to the layer ([batch, H]), or null for none (zeros). */
  readonly h0: TensorData | null;
  /** LSTM only: c_0, or null for none. */
  readonly c0?: TensorData | null;
  /** y [batch, time, out] as forward returned it. */
  readonly y: TensorData;
  /** Present when the check also ran backward. */
  readonly backward?: RecurrentBackward;
}

export interface RecurrentBackward {
  /** E = ∂L/∂y [batch, time, out]. */
  readonly upstream: TensorData;
  /** What backward returned: ∂L/∂x. */
  readonly dx: TensorData;
  /** Each parameter's .grad after this one backward (zeroed before it). */
  readonly grads: Record<string, TensorData>;
  /** gradInitialState after backward (null when undefined). */
  readonly dh0: TensorData | null;
  /** LSTM only: gradInitialCell (null when undefined). */
  readonly dc0?: TensorData | null;
}

/** A wrong version of the layer, to name the mistake a result shows. */
export interface Mistake {
  /** Which block of the stacked gate columns each gate reads: LSTM i, f, g, o; GRU r, z, n (the definition: 0, 1, 2, …). */
  readonly order?: readonly number[];
  /** GRU: h_t = z⊙h_{t−1} + (1−z)⊙n_t (PyTorch's convention) instead of (1−z)⊙h_{t−1} + z⊙n_t. */
  readonly swapInterpolation?: boolean;
  /** GRU: n_t = tanh(x_t·Wx_n + b_n + r⊙(h_{t−1}·Wh_n)) (PyTorch's) instead of (r⊙h_{t−1})·Wh_n. */
  readonly resetAfterProduct?: boolean;
  /** Every step starts from h_0 (and c_0) again, or from zeros, instead of the previous step's state. */
  readonly stateEachStep?: 'initial' | 'zeros';
  /** Backward: ∂L/∂h_t (and ∂L/∂c_t) from step t+1 is not added: the gradient stops after one step. */
  readonly truncated?: boolean;
  /** LSTM backward: only the cell's path is cut (δc_t without δc_{t+1}⊙f_{t+1}); ∂L/∂h_t still flows back. */
  readonly truncatedCell?: boolean;
}

export interface RecurrentResult {
  readonly y: TensorData;
  /** The last hidden state h_T [batch, H] (and c_T for the LSTM): what a stateful layer carries. */
  readonly hT: TensorData;
  readonly cT?: TensorData;
  readonly dx?: TensorData;
  readonly grads?: Record<string, TensorData>;
  readonly dh0?: TensorData;
  readonly dc0?: TensorData;
}

const sigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

/** Names of each kind's parameters, in the order of parameters(). */
export const PARAMETER_NAMES: Readonly<Record<RecurrentKind, readonly string[]>> = {
  RNN: ['Wxh', 'Whh', 'bh', 'Why', 'by'],
  LSTM: ['Wx', 'Wh', 'b', 'Why', 'by'],
  GRU: ['Wx', 'Wh', 'b', 'Why', 'by'],
};

/** How many blocks of H columns each kind's stacked input and recurrent weights hold (its gates). */
export const GATES: Readonly<Record<RecurrentKind, number>> = { RNN: 1, LSTM: 4, GRU: 3 };
const GATE_NAMES: Readonly<Record<RecurrentKind, readonly string[]>> = {
  RNN: ['u'],
  LSTM: ['i', 'f', 'g', 'o'],
  GRU: ['r', 'z', 'n'],
};

/** The recurrent layer's outputs (and, with `upstream`, its gradients) computed from the definition, or from a `mistake`. */
export function recurrentDefinition(
  kind: RecurrentKind,
  problem: {
    weights: Record<string, TensorData>;
    x: TensorData;
    h0: TensorData | null;
    c0?: TensorData | null;
    upstream?: TensorData;
  },
  mistake: Mistake = {},
): RecurrentResult {
  const [names, gates] = [PARAMETER_NAMES[kind], GATES[kind]];
  for (const name of names)
    if (!problem.weights[name])
      fail(`${kind}.parameters() has no parameter named '${name}' (expected ${names.join(', ')})`);
  const [Wx, Wh, b, Why, by] = names.map((name) => problem.weights[name].data);
  const [batch, time, I] = problem.x.shape;
  const H = problem.weights[names[3]].shape[0];
  const O = problem.weights[names[3]].shape[1];
  const G = gates * H;
  const order = mistake.order ?? Array.from({ length: gates }, (_, q) => q);
  const col = (q: number, j: number): number => order[q] * H + j;
  const y = new Array<number>(batch * time * O).fill(0);
  const hT = new Array<number>(batch * H).fill(0);
  const cT = new Array<number>(batch * H).fill(0);
  const E = problem.upstream?.data;
  const dx = new Array<number>(batch * time * I).fill(0);
  const dW = {
    Wx: new Array<number>(Wx.length).fill(0),
    Wh: new Array<number>(Wh.length).fill(0),
    b: new Array<number>(b.length).fill(0),
    Why: new Array<number>(Why.length).fill(0),
    by: new Array<number>(by.length).fill(0),
  };
  const dh0 = new Array<number>(batch * H).fill(0);
  const dc0 = new Array<number>(batch * H).fill(0);

  for (let row = 0; row < batch; row++) {
    const initialH = Array.from({ length: H }, (_, j) => problem.h0?.data[row * H + j] ?? 0);
    const initialC = Array.from({ length: H }, (_, j) => problem.c0?.data[row * H + j] ?? 0);
    const xs = Array.from({ length: time }, (_, t) =>
      problem.x.data.slice((row * time + t) * I, (row * time + t + 1) * I),
    );
    // Forward, keeping per step what backward needs.
    const steps: {
      hBefore: number[];
      cBefore: number[];
      act: number[];
      rh: number[];
      hWn: number[];
      c: number[];
      tc: number[];
      h: number[];
    }[] = [];
    let h = initialH;
    let c = initialC;
    for (let t = 0; t < time; t++) {
      const hBefore =
        mistake.stateEachStep === 'initial'
          ? initialH
          : mistake.stateEachStep === 'zeros'
            ? new Array<number>(H).fill(0)
            : h;
      const cBefore =
        mistake.stateEachStep === 'initial'
          ? initialC
          : mistake.stateEachStep === 'zeros'
            ? new Array<number>(H).fill(0)
            : c;
      const x = xs[t];
      // Pre-activations of every gate column: x·Wx + b, plus h·Wh for all but the GRU's proposal.
      const a = new Array<number>(G).fill(0);
      for (let k = 0; k < G; k++) {
        let v = b[k];
        for (let i = 0; i < I; i++) v += x[i] * Wx[i * G + k];
        a[k] = v;
      }
      const act = new Array<number>(G).fill(0);
      let rh: number[] = [];
      let hWn: number[] = [];
      let newC = cBefore;
      let tc: number[] = [];
      let newH: number[];
      if (kind === 'RNN') {
        newH = Array.from({ length: H }, (_, j) => {
          let v = a[j];
          for (let k = 0; k < H; k++) v += hBefore[k] * Wh[k * H + j];
          return Math.tanh(v);
        });
        for (let j = 0; j < H; j++) act[j] = newH[j];
      } else if (kind === 'LSTM') {
        for (let k = 0; k < G; k++) for (let m = 0; m < H; m++) a[k] += hBefore[m] * Wh[m * G + k];
        for (let j = 0; j < H; j++) {
          act[j] = sigmoid(a[col(0, j)]);
          act[H + j] = sigmoid(a[col(1, j)]);
          act[2 * H + j] = Math.tanh(a[col(2, j)]);
          act[3 * H + j] = sigmoid(a[col(3, j)]);
        }
        newC = Array.from({ length: H }, (_, j) => act[H + j] * cBefore[j] + act[j] * act[2 * H + j]);
        tc = newC.map(Math.tanh);
        newH = Array.from({ length: H }, (_, j) => act[3 * H + j] * tc[j]);
      } else {
        for (let q = 0; q < 2; q++)
          for (let j = 0; j < H; j++) for (let m = 0; m < H; m++) a[col(q, j)] += hBefore[m] * Wh[m * G + col(q, j)];
        for (let j = 0; j < H; j++) {
          act[j] = sigmoid(a[col(0, j)]);
          act[H + j] = sigmoid(a[col(1, j)]);
        }
        rh = Array.from({ length: H }, (_, j) => act[j] * hBefore[j]);
        hWn = Array.from({ length: H }, (_, j) => {
          let v = 0;
          for (let m = 0; m < H; m++) v += (mistake.resetAfterProduct ? hBefore[m] : rh[m]) * Wh[m * G + col(2, j)];
          return v;
        });
        for (let j = 0; j < H; j++)
          act[2 * H + j] = Math.tanh(a[col(2, j)] + (mistake.resetAfterProduct ? act[j] * hWn[j] : hWn[j]));
        newH = Array.from({ length: H }, (_, j) => {
          const [z, n] = [act[H + j], act[2 * H + j]];
          return mistake.swapInterpolation ? z * hBefore[j] + (1 - z) * n : (1 - z) * hBefore[j] + z * n;
        });
      }
      steps.push({ hBefore, cBefore, act, rh, hWn, c: newC, tc, h: newH });
      for (let o = 0; o < O; o++) {
        let v = by[o];
        for (let j = 0; j < H; j++) v += newH[j] * Why[j * O + o];
        y[(row * time + t) * O + o] = v;
      }
      h = newH;
      c = newC;
    }
    for (let j = 0; j < H; j++) {
      hT[row * H + j] = h[j];
      cT[row * H + j] = c[j];
    }
    if (!E) continue;
    // Backward through time.
    let dhNext = new Array<number>(H).fill(0);
    let dcNext = new Array<number>(H).fill(0);
    for (let t = time - 1; t >= 0; t--) {
      const s = steps[t];
      const e = E.slice((row * time + t) * O, (row * time + t + 1) * O);
      const dh = Array.from({ length: H }, (_, j) => {
        let v = mistake.truncated ? 0 : dhNext[j];
        for (let o = 0; o < O; o++) v += e[o] * Why[j * O + o];
        return v;
      });
      for (let j = 0; j < H; j++) for (let o = 0; o < O; o++) dW.Why[j * O + o] += s.h[j] * e[o];
      for (let o = 0; o < O; o++) dW.by[o] += e[o];
      // δ of every pre-activation column (in the layer's column order), and ∂L/∂h_{t−1}, ∂L/∂c_{t−1}.
      const da = new Array<number>(G).fill(0);
      const dhBefore = new Array<number>(H).fill(0);
      const dcBefore = new Array<number>(H).fill(0);
      if (kind === 'RNN') {
        for (let j = 0; j < H; j++) da[j] = dh[j] * (1 - s.h[j] * s.h[j]);
        for (let m = 0; m < H; m++) for (let j = 0; j < H; j++) dhBefore[m] += da[j] * Wh[m * H + j];
      } else if (kind === 'LSTM') {
        for (let j = 0; j < H; j++) {
          const [i, f, g, o] = [s.act[j], s.act[H + j], s.act[2 * H + j], s.act[3 * H + j]];
          const dc = dh[j] * o * (1 - s.tc[j] * s.tc[j]) + (mistake.truncated || mistake.truncatedCell ? 0 : dcNext[j]);
          da[col(0, j)] = dc * g * i * (1 - i);
          da[col(1, j)] = dc * s.cBefore[j] * f * (1 - f);
          da[col(2, j)] = dc * i * (1 - g * g);
          da[col(3, j)] = dh[j] * s.tc[j] * o * (1 - o);
          dcBefore[j] = dc * f;
        }
        for (let m = 0; m < H; m++) for (let k = 0; k < G; k++) dhBefore[m] += da[k] * Wh[m * G + k];
      } else {
        const drh = new Array<number>(H).fill(0);
        for (let j = 0; j < H; j++) {
          const [z, n] = [s.act[H + j], s.act[2 * H + j]];
          da[col(1, j)] = dh[j] * (n - s.hBefore[j]) * z * (1 - z);
          da[col(2, j)] = dh[j] * z * (1 - n * n);
          dhBefore[j] += dh[j] * (1 - z);
        }
        for (let m = 0; m < H; m++) for (let j = 0; j < H; j++) drh[m] += da[col(2, j)] * Wh[m * G + col(2, j)];
        for (let j = 0; j < H; j++) {
          const r = s.act[j];
          da[col(0, j)] = drh[j] * s.hBefore[j] * r * (1 - r);
          dhBefore[j] += drh[j] * r;
        }
        for (let m = 0; m < H; m++)
          for (let q = 0; q < 2; q++) for (let j = 0; j < H; j++) dhBefore[m] += da[col(q, j)] * Wh[m * G + col(q, j)];
      }
      // Shared weights: every step adds its share.
      const x = xs[t];
      for (let i = 0; i < I; i++) for (let k = 0; k < G; k++) dW.Wx[i * G + k] += x[i] * da[k];
      for (let k = 0; k < G; k++) dW.b[k] += da[k];
      if (kind === 'GRU') {
        for (let m = 0; m < H; m++) {
          for (let q = 0; q < 2; q++)
            for (let j = 0; j < H; j++) dW.Wh[m * G + col(q, j)] += s.hBefore[m] * da[col(q, j)];
          for (let j = 0; j < H; j++) dW.Wh[m * G + col(2, j)] += s.rh[m] * da[col(2, j)];
        }
      } else {
        for (let m = 0; m < H; m++) for (let k = 0; k < G; k++) dW.Wh[m * G + k] += s.hBefore[m] * da[k];
      }
      for (let i = 0; i < I; i++) {
        let v = 0;
        for (let k = 0; k < G; k++) v += da[k] * Wx[i * G + k];
        dx[(row * time + t) * I + i] = v;
      }
      dhNext = dhBefore;
      dcNext = dcBefore;
    }
    for (let j = 0; j < H; j++) {
      dh0[row * H + j] = dhNext[j];
      dc0[row * H + j] = dcNext[j];
    }
  }
  const result: RecurrentResult = {
    y: { shape: [batch, time, O], data: y },
    hT: { shape: [batch, H], data: hT },
    ...(kind === 'LSTM' ? { cT: { shape: [batch, H], data: cT } } : {}),
  };
  if (!E) return result;
  const shaped = (name: string, data: number[]): TensorData => ({ shape: problem.weights[name].shape, data });
  const grads = Object.fromEntries(
    [dW.Wx, dW.Wh, dW.b, dW.Why, dW.by].map((data, k) => [names[k], shaped(names[k], data)]),
  );
  return {
    ...result,
    dx: { shape: [batch, time, I], data: dx },
    grads,
    dh0: { shape: [batch, H], data: dh0 },
    ...(kind === 'LSTM' ? { dc0: { shape: [batch, H], data: dc0 } } : {}),
  };
}

/** Same shape and every element within `tolerance` (|r − e| ≤ tol·(1 + |e|)). */
export function matches(received: TensorData | null | undefined, expected: TensorData, tolerance = 1e-8): boolean {
  if (
    !received ||
    received.shape.length !== expected.shape.length ||
    received.shape.some((d, i) => d !== expected.shape[i])
  )
    return false;
  return expected.data.every((v, i) => closeEnough(received.data[i], v, tolerance));
}

/** The forward mistakes worth naming for each kind, with the sentence that names them. */
function forwardMistakes(kind: RecurrentKind, hasInitialState: boolean): { mistake: Mistake; says: string }[] {
  const list: { mistake: Mistake; says: string }[] = [];
  const names = GATE_NAMES[kind];
  if (kind !== 'RNN') {
    for (const order of permutations(names.length)) {
      if (order.every((block, q) => block === q)) continue;
      // order[q] is the block gate q reads; the student's layout lists the gates block by block.
      const layout = order.map((_, block) => names[order.indexOf(block)]).join(', ');
      list.push({
        mistake: { order },
        says: `the outputs are those of ${kind === 'LSTM' ? 'an' : 'a'} ${kind} whose gates sit in the column blocks in the order ${layout}; the kit's order is ${names.join(', ')} (columns 0…H−1 are ${names[0]}, H…2H−1 ${names[1]}, and so on, in Wx, Wh and b alike)`,
      });
    }
  }
  if (kind === 'GRU') {
    list.push({
      mistake: { swapInterpolation: true },
      says: "the outputs are those of h_t = z⊙h_{t−1} + (1−z)⊙n_t (PyTorch's convention); the kit (the seed, 004: 6382) uses h_t = (1−z)⊙h_{t−1} + z⊙n_t: z weighs the proposal n_t",
    });
    list.push({
      mistake: { resetAfterProduct: true },
      says: "the outputs are those of n_t = tanh(x_t·Wx_n + b_n + r⊙(h_{t−1}·Wh_n)) (PyTorch's convention); the kit (004: 6373) applies the reset gate before the product: (r⊙h_{t−1})·Wh_n",
    });
  }
  const state = kind === 'LSTM' ? 'the state (h, c)' : 'the hidden state';
  list.push({
    mistake: { stateEachStep: 'zeros' },
    says: `${state} is not carried from one time step to the next: every step starts again from zeros. Step t must use h_{t−1} of step t−1`,
  });
  if (hasInitialState)
    list.push({
      mistake: { stateEachStep: 'initial' },
      says: `${state} is not carried from one time step to the next: every step starts again from initialState. Step t must use h_{t−1} of step t−1`,
    });
  return list;
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1))
    for (let at = 0; at <= rest.length; at++) out.push([...rest.slice(0, at), n - 1, ...rest.slice(at)]);
  return out;
}

/**
 * The mistake a forward result shows, in words, when it is one of the recognised ones (gate order, the
 * GRU's conventions, the state not carried); null otherwise. For known-value checks that fail.
 */
export function nameForwardMistake(
  kind: RecurrentKind,
  pass: Pick<RecurrentPass, 'weights' | 'x' | 'h0' | 'c0' | 'y'>,
  tolerance = 1e-8,
): string | null {
  for (const { mistake, says } of forwardMistakes(kind, pass.h0 !== null || (pass.c0 ?? null) !== null)) {
    if (matches(pass.y, recurrentDefinition(kind, pass, mistake).y, tolerance)) return says;
  }
  return null;
}

/** A known-value check of a forward pass: `expected` numbers, and when they differ, the mistake named if it is a recognised one. */
export function expectKnownOutput(
  kind: RecurrentKind,
  pass: Pick<RecurrentPass, 'weights' | 'x' | 'h0' | 'c0' | 'y'>,
  expected: Parameters<typeof expectClose>[1],
  tolerance: number,
  what: string,
): void {
  try {
    expectClose(pass.y, expected, tolerance, what);
  } catch (error) {
    const named = nameForwardMistake(kind, pass);
    if (named) fail(`${what}: ${named}.`);
    throw error;
  }
}

/**
 * Checks a recurrent pass against the definition: forward, and with `backward` also ∂L/∂x, every
 * parameter gradient and ∂L/∂h_0 (∂L/∂c_0). On a mismatch it names the mistake the numbers show when
 * it recognises one. `what` says where the pass comes from (e.g. 'sample 3', 'the second part').
 */
export function expectRecurrentPass(kind: RecurrentKind, pass: RecurrentPass, what: string, tolerance = 1e-8): void {
  const want = recurrentDefinition(kind, { ...pass, upstream: pass.backward?.upstream });
  const where = `${what}: ${kind}.forward`;
  if (!matches(pass.y, want.y, tolerance)) {
    if (pass.y.shape.join() !== want.y.shape.join())
      fail(
        `${where} returned shape [${pass.y.shape.join(', ')}], expected [${want.y.shape.join(', ')}] ([batch, time, outputSize])`,
      );
    const named = nameForwardMistake(kind, pass, tolerance);
    if (named) fail(`${where}: ${named}.`);
    fail(
      `${where}: ${firstDifference(pass.y, want.y, tolerance)}. Compare with the equations in ${HANDOUT[kind]} step by step (a length-1 sequence is the easiest case to check by hand).`,
    );
  }
  const back = pass.backward;
  if (!back || !want.dx || !want.grads || !want.dh0) return;
  // Backward mistakes worth naming: the result of each, and the sentence that names it.
  const cut = [
    {
      result: recurrentDefinition(kind, { ...pass, upstream: back.upstream }, { truncated: true }),
      says: `the gradient stops after one step: ∂L/∂h_t${kind === 'LSTM' ? ' (and ∂L/∂c_t)' : ''} must also receive what flows back from step t+1 (${kind === 'RNN' ? 'δu_{t+1}·Whhᵀ' : kind === 'LSTM' ? 'δa_{t+1}·Whᵀ, and δc_{t+1}⊙f_{t+1} for the cell' : 'the ∂L/∂h_{t−1} that step t+1 computed'}); that is backpropagation through time (004: 6047–6078)`,
    },
    ...(kind === 'LSTM'
      ? [
          {
            result: recurrentDefinition(kind, { ...pass, upstream: back.upstream }, { truncatedCell: true }),
            says: "the cell's gradient stops after one step: c_t also reaches step t+1 through f_{t+1}⊙c_t, so δc_t = δh_t⊙o_t⊙(1 − tanh²c_t) + δc_{t+1}⊙f_{t+1}",
          },
        ]
      : []),
  ];
  const pick = (result: RecurrentResult, name: string): TensorData | undefined =>
    name === 'dx' ? result.dx : name === 'dh0' ? result.dh0 : name === 'dc0' ? result.dc0 : result.grads?.[name];
  const check = (
    received: TensorData | null | undefined,
    expected: TensorData,
    key: string,
    name: string,
    hint: string,
  ): void => {
    if (matches(received, expected, tolerance)) return;
    if (!received) fail(`${what}: ${name} is undefined after ${kind}.backward. ${hint}`);
    if (received.shape.join() !== expected.shape.join())
      fail(`${what}: ${name} has shape [${received.shape.join(', ')}], expected [${expected.shape.join(', ')}]`);
    for (const { result, says } of cut) {
      const wrong = pick(result, key);
      if (wrong && matches(received, wrong, tolerance)) fail(`${what}: ${name} is wrong: ${says}.`);
    }
    fail(`${what}: ${name} ${firstDifference(received, expected, tolerance)}. ${hint}`);
  };
  check(
    back.dx,
    want.dx,
    'dx',
    `${kind}.backward's return value ∂L/∂x`,
    `∂L/∂x_t = δ_t·Wxᵀ where δ_t is the gradient of step t's pre-activations (${HANDOUT[kind]}).`,
  );
  for (const name of PARAMETER_NAMES[kind]) {
    check(
      back.grads[name],
      want.grads[name],
      name,
      `the gradient of '${name}'`,
      `${name}.grad must hold the sum over all time steps and the batch (the weights are shared over time, 004: 6077–6078), added with accumulate.`,
    );
  }
  const zero = (t: TensorData | null | undefined): boolean => !!t && t.data.every((v) => v === 0);
  const initialHint = (name: string, formula: string): string =>
    `${name} must hold ∂L/∂${name === 'gradInitialState' ? 'h_0' : 'c_0'}: what step 1 sends back to the state it started from (${formula}), computed in the same loop as every other step${zero(name === 'gradInitialState' ? back.dh0 : back.dc0) ? '; it is all zeros here, as if the loop stopped before step 1 passed its gradient back' : ''}.`;
  check(
    back.dh0,
    want.dh0,
    'dh0',
    'gradInitialState',
    initialHint(
      'gradInitialState',
      kind === 'RNN'
        ? 'δu_1·Whhᵀ'
        : kind === 'LSTM'
          ? 'δa_1·Whᵀ'
          : 'δh_1⊙(1−z_1) + δ(r⊙h)_1⊙r_1 + [δa_r, δa_z]_1·Wh_rzᵀ',
    ),
  );
  if (kind === 'LSTM' && want.dc0)
    check(back.dc0, want.dc0, 'dc0', 'gradInitialCell', initialHint('gradInitialCell', 'δc_1⊙f_1'));
}

const HANDOUT: Readonly<Record<RecurrentKind, string>> = {
  RNN: 'docs/exercises/4-recurrent.md#rnn',
  LSTM: 'docs/exercises/4-recurrent.md#lstm',
  GRU: 'docs/exercises/4-recurrent.md#gru',
};

function firstDifference(received: TensorData, expected: TensorData, tolerance: number): string {
  const index = expected.data.findIndex((v, i) => !closeEnough(received.data[i], v, tolerance));
  const at: number[] = [];
  let rest = index;
  for (let axis = expected.shape.length - 1; axis >= 0; axis--) {
    at.unshift(rest % expected.shape[axis]);
    rest = Math.floor(rest / expected.shape[axis]);
  }
  return `element [${at.join(', ')}] is ${received.data[index]}, expected ${expected.data[index]} (tolerance ${tolerance}; the definition written out with loops)`;
}
