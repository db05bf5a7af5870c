import type { OptimizerOptions } from './optimizer.js';

/**
 * Adam's hyper-parameters, shared by Adam and AdamW (given, so that AdamW's file does not depend on
 * Adam's); the defaults are the seeds' (004: 2527, 000: 2536–2538, 003: 648–649): lr = 1e-3,
 * beta1 = 0.9, beta2 = 0.999, eps = 1e-8.
 */
export interface AdamOptions extends OptimizerOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}
