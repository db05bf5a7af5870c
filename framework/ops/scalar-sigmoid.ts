/**
 * σ(x) = 1 / (1 + e^−x) on one number, written so that neither branch overflows (for x < 0 it is
 * e^x / (1 + e^x), the same value). The gate function of the recurrent cells (LSTM's gates, seed
 * 004: 6243–6278; GRU's, 6318–6395): given code, so that each cell's file stands alone. The Sigmoid
 * layer of Exercise 3 is the student's own and does not use it.
 */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
