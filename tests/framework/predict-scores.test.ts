import { describe, expect, it } from 'vitest';
import { NonFiniteError, predictScores, ShapeError, Tensor, tensor, ValueError } from '../../framework/index.js';

/** A stand-in model: class c's score is c × (the image's first pixel); it records the batch sizes it saw. */
function recordingModel(): { predict(x: Tensor): Tensor; batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    predict(x: Tensor): Tensor {
      const b = x.shape[0];
      batches.push(b);
      const perImage = x.size / b;
      const out = new Float64Array(b * 10);
      for (let i = 0; i < b; i++) for (let c = 0; c < 10; c++) out[i * 10 + c] = c * x.data[i * perImage];
      return new Tensor([b, 10], out);
    },
  };
}

function images(n: number): Tensor {
  const values = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) values[i * 4] = i + 1;
  return tensor(values, [n, 1, 2, 2]);
}

describe('framework predictScores', () => {
  it("scores every image in batches of 250 (the last one shorter), rows in the images' order", () => {
    const model = recordingModel();
    const scores = predictScores(model, images(600));
    expect(model.batches).toEqual([250, 250, 100]);
    expect(scores).toHaveLength(600);
    expect(scores[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(scores[599][1]).toBe(600);
    expect(predictScores(recordingModel(), images(5), 2)).toHaveLength(5);
  });

  it('refuses images that are not [n, 1, h, w] and a bad batch size', () => {
    expect(() => predictScores(recordingModel(), tensor([1, 2, 3, 4], [1, 4]))).toThrow(ShapeError);
    expect(() => predictScores(recordingModel(), tensor([1, 2, 3, 4], [1, 4]))).toThrow(
      /images must be \[n, 1, height, width\], got \[1, 4\]/,
    );
    expect(() => predictScores(recordingModel(), images(3), 0)).toThrow(ValueError);
  });

  it('names the batch when the model returns the wrong shape or no tensor', () => {
    const wrong = { predict: (x: Tensor) => new Tensor([x.shape[0], 9], new Float64Array(x.shape[0] * 9)) };
    expect(() => predictScores(wrong, images(3))).toThrow(
      /batch of 3 images \(0…2\) returned \[3, 9\], expected \[3, 10\]/,
    );
    const nothing = { predict: () => undefined as unknown as Tensor };
    expect(() => predictScores(nothing, images(3))).toThrow(/predict returned undefined, not a tensor/);
  });

  it('says which image got a non-finite score', () => {
    const model = recordingModel();
    const poisoned = images(300);
    poisoned.data[260 * 4] = Number.NaN;
    expect(() => predictScores(model, poisoned)).toThrow(NonFiniteError);
    expect(() => predictScores(recordingModel(), poisoned)).toThrow(/image 260 got score NaN for class 0/);
  });
});
