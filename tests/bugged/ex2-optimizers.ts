import type { BuggedVariant } from './variant.js';

/** Realistic mistakes in Exercise 2's initializers and optimizers (see variant.ts). */
export const ex2Optimizers: readonly BuggedVariant[] = [
  {
    id: 'constant-ignores-its-value',
    exercise: 'ex2',
    component: 'Constant',
    file: 'initializers/constant.ts',
    bug: 'fills with the default 0.1 whatever value the constructor was given',
    replace: [['return full(shape, this.value);', 'return full(shape, 0.1);']],
  },
  {
    id: 'uniform-random-symmetric-range',
    exercise: 'ex2',
    component: 'UniformRandom',
    file: 'initializers/uniform-random.ts',
    bug: 'draws from U[−1, 1) instead of U[0, 1)',
    replace: [['rng.uniformTensor(shape, 0, 1)', 'rng.uniformTensor(shape, -1, 1)']],
  },
  {
    id: 'xavier-fan-in-only',
    exercise: 'ex2',
    component: 'Xavier',
    file: 'initializers/xavier.ts',
    bug: 'uses the forward-pass variance 1/fanIn only instead of averaging both fans, σ = √(1 / fanIn)',
    replace: [['const sigma = Math.sqrt(2 / (fanIn + fanOut));', 'const sigma = Math.sqrt(1 / fanIn);']],
  },
  {
    id: 'xavier-uniform-fan-sum-for-fan-average',
    exercise: 'ex2',
    component: 'XavierUniform',
    file: 'initializers/xavier-uniform.ts',
    bug: "reads 003's r = √(3 / fan_avg) with fan_avg = fanIn + fanOut (the sum, not the average)",
    replace: [['const limit = Math.sqrt(6 / (fanIn + fanOut));', 'const limit = Math.sqrt(3 / (fanIn + fanOut));']],
  },
  {
    id: 'he-variance-passed-as-std',
    exercise: 'ex2',
    component: 'He',
    file: 'initializers/he.ts',
    bug: 'passes the variance 2/fanIn to rng.normalTensor, which takes the standard deviation',
    replace: [['return rng.normalTensor(shape, 0, sigma);', 'return rng.normalTensor(shape, 0, sigma * sigma);']],
  },
  {
    id: 'he-uniform-normal-bound',
    exercise: 'ex2',
    component: 'HeUniform',
    file: 'initializers/he-uniform.ts',
    bug: "uses the normal form's σ = √(2 / fanIn) as the uniform limit instead of r = √(3σ²) = √(6 / fanIn)",
    replace: [['const limit = Math.sqrt(6 / fanIn);', 'const limit = Math.sqrt(2 / fanIn);']],
  },
  {
    id: 'sgd-momentum-sign-flipped',
    exercise: 'ex2',
    component: 'SgdMomentum',
    file: 'optimizers/sgd-momentum.ts',
    bug: "mixes the two sign conventions: v ← μv + ηg (003's velocity) with w ← w + v (004's update), so it climbs",
    replace: [
      [
        'const velocity = sub(scale(previousVelocity, this.momentum), scale(grad, this.learningRate));',
        'const velocity = add(scale(previousVelocity, this.momentum), scale(grad, this.learningRate));',
      ],
    ],
  },
  {
    id: 'sgd-momentum-velocity-not-kept',
    exercise: 'ex2',
    component: 'SgdMomentum',
    file: 'optimizers/sgd-momentum.ts',
    bug: 'stores the velocity under another key than the one it reads, so every step starts from v = 0 (plain SGD)',
    replace: [["state.set('velocity', velocity);", "state.set('v', velocity);"]],
  },
  {
    id: 'adam-no-bias-correction',
    exercise: 'ex2',
    component: 'Adam',
    file: 'optimizers/adam.ts',
    bug: 'uses the raw moments v and r instead of v̂ = v/(1 − β₁ᵏ) and r̂ = r/(1 − β₂ᵏ)',
    replace: [
      [
        'const firstHat = scale(first, 1 / (1 - this.beta1 ** step));\n    const secondHat = scale(second, 1 / (1 - this.beta2 ** step));',
        'const firstHat = first;\n    const secondHat = second;',
      ],
    ],
  },
  {
    id: 'adam-eps-inside-root',
    exercise: 'ex2',
    component: 'Adam',
    file: 'optimizers/adam.ts',
    bug: 'puts ε inside the square root, √(r̂ + ε) (003: 642), instead of √r̂ + ε',
    replace: [
      ['div(firstHat, addScalar(sqrt(secondHat), this.eps))', 'div(firstHat, sqrt(addScalar(secondHat, this.eps)))'],
    ],
  },
  {
    id: 'adam-step-count-per-update-call',
    exercise: 'ex2',
    component: 'Adam',
    file: 'optimizers/adam.ts',
    bug: 'keeps the step count k on the optimizer and advances it in update, i.e. once per parameter instead of once per step',
    replace: [
      ['readonly eps: number;\n', 'readonly eps: number;\n  private stepCount = 0;\n'],
      [
        "const previousStep = (state.get('step') as number | undefined) ?? 0;",
        'const previousStep = this.stepCount++;',
      ],
    ],
  },
  {
    id: 'adam-step-count-module-level',
    exercise: 'ex2',
    component: 'Adam',
    file: 'optimizers/adam.ts',
    bug: 'counts the steps in a module-level variable, shared by every Adam (advanced once per step, but not per optimizer)',
    replace: [
      [
        'import type { Tensor }',
        "import type { Parameter } from '../../framework/nn/parameter.js';\nimport type { Tensor }",
      ],
      ['export class Adam extends BaseOptimizer {', 'let stepsTaken = 0;\n\nexport class Adam extends BaseOptimizer {'],
      [
        '  protected update(',
        '  override step(parameters: readonly Parameter[]): void {\n    stepsTaken += 1;\n    super.step(parameters);\n  }\n\n  protected update(',
      ],
      ['const step = previousStep + 1;', 'const step = stepsTaken + 0 * previousStep;'],
    ],
  },
  {
    id: 'nesterov-drops-old-velocity-term',
    exercise: 'ex2',
    component: 'Nesterov',
    file: 'optimizers/nesterov.ts',
    bug: 'moves by (1 + μ)·v only, forgetting − μ·v_old (the same first step, wrong from the second on)',
    replace: [
      [
        'return add(sub(value, scale(previousVelocity, this.momentum)), scale(velocity, 1 + this.momentum));',
        'return add(value, scale(velocity, 1 + this.momentum));',
      ],
    ],
  },
  {
    id: 'adagrad-forgets-to-accumulate',
    exercise: 'ex2',
    component: 'AdaGrad',
    file: 'optimizers/adagrad.ts',
    bug: "uses this step's g² instead of the running sum r ← r + g² (the same first step, no decay of the steps after)",
    replace: [['const squares = add(previousSquares, mul(grad, grad));', 'const squares = mul(grad, grad);']],
  },
  {
    id: 'rmsprop-decay-on-wrong-term',
    exercise: 'ex2',
    component: 'RMSProp',
    file: 'optimizers/rmsprop.ts',
    bug: 'swaps ρ and 1 − ρ: r ← (1 − ρ)·r + ρ·g², so r follows the latest g² instead of averaging',
    replace: [
      [
        'add(scale(previousSquares, this.rho), scale(mul(grad, grad), 1 - this.rho))',
        'add(scale(previousSquares, 1 - this.rho), scale(mul(grad, grad), this.rho))',
      ],
    ],
  },
  {
    id: 'adamw-decay-through-gradient',
    exercise: 'ex2',
    component: 'AdamW',
    file: 'optimizers/adamw.ts',
    bug: 'adds λ·w to the gradient (an L2 penalty inside the moments, on every parameter) instead of the decoupled − η·λ·w_old',
    replace: [
      ['parameter.assign(sub(parameter.value, scale(old, this.learningRate * this.weightDecay)));', 'void old;'],
      [
        'const first = add(scale(previousFirst, this.beta1), scale(grad, 1 - this.beta1));\n    const second = add(scale(previousSecond, this.beta2), scale(mul(grad, grad), 1 - this.beta2));',
        'const decayed = add(grad, scale(value, this.weightDecay));\n    const first = add(scale(previousFirst, this.beta1), scale(decayed, 1 - this.beta1));\n    const second = add(scale(previousSecond, this.beta2), scale(mul(decayed, decayed), 1 - this.beta2));',
      ],
    ],
  },
  {
    id: 'adamw-decay-from-updated-weights',
    exercise: 'ex2',
    component: 'AdamW',
    file: 'optimizers/adamw.ts',
    bug: 'takes the decay from the weights after the Adam step instead of w_old',
    replace: [
      [
        'scale(old, this.learningRate * this.weightDecay)',
        'scale(parameter.value, this.learningRate * this.weightDecay)',
      ],
    ],
  },
];
