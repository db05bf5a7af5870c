import { expect } from 'vitest';
import { formatShape, type Tensor } from '../../framework/index.js';

/**
 * Asserts that `actual` has `expected`'s shape and every element within `tolerance` (absolute plus
 * relative), failing with one line that says where the first difference is and what to check.
 */
export function expectClose(
  actual: Tensor,
  expected: Tensor | number[] | number[][],
  tolerance: number,
  what: string,
): void {
  const expectedShape = Array.isArray(expected) ? shapeOfNested(expected) : [...expected.shape];
  const expectedValues = Array.isArray(expected)
    ? (expected as number[] | number[][]).flat()
    : Array.from(expected.data);
  expect(
    actual.shape,
    `${what}: wrong output shape ${formatShape(actual.shape)}, expected ${formatShape(expectedShape)}`,
  ).toEqual(expectedShape);
  const values = actual.data;
  for (let i = 0; i < expectedValues.length; i++) {
    const want = expectedValues[i];
    const got = values[i];
    const ok = Math.abs(got - want) <= tolerance * (1 + Math.abs(want));
    if (!ok) {
      expect.fail(
        `${what}: element ${i} (flat, row-major) is ${got}, expected ${want} (tolerance ${tolerance}). Whole output: ${JSON.stringify(Array.from(values))}`,
      );
    }
  }
}

function shapeOfNested(nested: number[] | number[][]): number[] {
  return Array.isArray(nested[0]) ? [nested.length, (nested[0] as number[]).length] : [nested.length];
}
