import { Tensor, type Loss, type OptimizerOptions, type Parameter, type Regularizer } from '../../framework/index.js';
import { fail } from '../harness/index.js';
import { PlainSgd } from './test-optimizers.js';
import { LogitsCrossEntropy } from './test-training.js';

/**
 * Test doubles that write what the network asks of them into one shared log, so a check can tell what
 * `NeuralNetwork.fit` reported from what it computed: the data loss of each `loss.forward`, each
 * regularizer `norm`, each optimizer `step`. The log is plain data (it goes back to verify as it is).
 */
export interface LoggedEvent {
  readonly kind: 'loss' | 'norm' | 'step';
  readonly value: number;
}

/** LogitsCrossEntropy that logs the value of each forward. */
export class RecordingLoss implements Loss {
  readonly name = 'RecordingLoss (test double)';
  readonly reduction = 'mean' as const;
  readonly #inner = new LogitsCrossEntropy();

  constructor(readonly log: LoggedEvent[]) {}

  forward(prediction: Tensor, target: Tensor): number {
    const value = this.#inner.forward(prediction, target);
    this.log.push({ kind: 'loss', value });
    return value;
  }

  backward(): Tensor {
    return this.#inner.backward();
  }
}

/** The kit's L2 penalty (gradient α·w, norm α·Σw²) with plain loops, logging each norm. */
export class RecordingL2 implements Regularizer {
  readonly name = 'RecordingL2 (test double)';

  constructor(
    readonly alpha: number,
    readonly log: LoggedEvent[],
  ) {}

  gradient(weights: Tensor): Tensor {
    return new Tensor(
      weights.shape,
      Float64Array.from(weights.data, (w) => this.alpha * w),
    );
  }

  norm(weights: Tensor): number {
    let total = 0;
    for (const w of weights.data) total += w * w;
    const value = this.alpha * total;
    this.log.push({ kind: 'norm', value });
    return value;
  }
}

/** PlainSgd that logs each step. */
export class RecordingSgd extends PlainSgd {
  constructor(
    options: { lr: number } & OptimizerOptions,
    readonly log: LoggedEvent[],
  ) {
    super(options);
  }

  override step(parameters: readonly Parameter[]): void {
    this.log.push({ kind: 'step', value: 0 });
    super.step(parameters);
  }
}

/**
 * Verify side: each reported loss of `fit` is the data loss of its iteration plus the regularization
 * loss, Σ norm over the `weights` weight parameters (the last `weights` norms logged before the step).
 */
export function verifyReportedLosses(reported: readonly number[], log: readonly LoggedEvent[], weights: number): void {
  const segments: LoggedEvent[][] = [[]];
  for (const event of log) {
    if (event.kind === 'step') segments.push([]);
    else segments[segments.length - 1].push(event);
  }
  const iterations = segments.length - 1;
  if (reported.length !== iterations)
    fail(
      `NeuralNetwork.fit returned ${reported.length} losses for ${iterations} optimizer steps; it must return one loss per iteration`,
    );
  reported.forEach((value, i) => {
    const losses = segments[i].filter((e) => e.kind === 'loss');
    const norms = segments[i].filter((e) => e.kind === 'norm');
    if (losses.length === 0)
      fail(`iteration ${i} of NeuralNetwork.fit stepped the optimizer without computing the loss`);
    const data = losses[losses.length - 1].value;
    if (norms.length < weights) {
      fail(
        `iteration ${i} of NeuralNetwork.fit reported ${value}, the data loss alone is ${data}: with a regularizer, fit must report data loss + regularization loss (computeLoss adds regularizationLoss; the norm was never asked for)`,
      );
    }
    const regularization = norms.slice(-weights).reduce((total, e) => total + e.value, 0);
    const expected = data + regularization;
    if (!(Math.abs(value - expected) <= 1e-9 * (1 + Math.abs(expected)))) {
      fail(
        `iteration ${i} of NeuralNetwork.fit reported the loss ${value}; expected data loss ${data} + regularization loss ${regularization} = ${expected} (use computeLoss, which adds regularizationLoss)`,
      );
    }
  });
}
