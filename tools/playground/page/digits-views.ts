import { selectRows } from '../../../framework/data/select.js';
import { tensor, zeros } from '../../../framework/tensor/create.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { diverging, paintGrid } from './colors.js';
import { nextFrame } from './frames.js';
import type { Trainer } from './trainer.js';

const gray = (v: number) => [255 * (1 - v), 255 * (1 - v), 255 * (1 - v)] as const;
const heat = (v: number) => [255, Math.round(255 * (1 - v)), Math.round(255 * (1 - 0.8 * v))] as const;

function tile(parent: HTMLElement, caption: string, size = 48): HTMLCanvasElement {
  const figure = document.createElement('figure');
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const label = document.createElement('figcaption');
  label.textContent = caption;
  figure.append(canvas, label);
  parent.append(figure);
  return canvas;
}

function normalised(values: ArrayLike<number>, symmetric: boolean): number[] {
  let top = 1e-12;
  let bottom = Infinity;
  for (let i = 0; i < values.length; i++) {
    top = Math.max(top, symmetric ? Math.abs(values[i]) : values[i]);
    bottom = Math.min(bottom, values[i]);
  }
  if (symmetric) return Array.from(values, (v) => v / top);
  const span = Math.max(top - bottom, 1e-12);
  return Array.from(values, (v) => (v - bottom) / span);
}

/**
 * The first layer's filters: a Conv's kernels [out, in, kh, kw] (first input channel), or for a
 * FullyConnected on flattened pixels the weights into each of its first 16 units as 8×8 pictures.
 * Blue negative, red positive.
 */
export async function drawFilters(parent: HTMLElement, trainer: Trainer): Promise<number> {
  parent.replaceChildren();
  const first = trainer.network.layers.find((layer) => layer.parameters().length > 0);
  const weight = first?.parameters()[0];
  if (!first || !weight) return 0;
  const value = await weight.value.to('cpu');
  const pictures: { values: number[]; rows: number; columns: number }[] = [];
  if (value.rank === 4) {
    const [out, inChannels, kh, kw] = value.shape;
    for (let o = 0; o < out; o++)
      pictures.push({
        values: Array.from(value.data.subarray(o * inChannels * kh * kw, o * inChannels * kh * kw + kh * kw)),
        rows: kh,
        columns: kw,
      });
  } else if (value.rank === 2 && value.shape[0] === 64) {
    const units = Math.min(16, value.shape[1]);
    for (let u = 0; u < units; u++)
      pictures.push({
        values: Array.from({ length: 64 }, (_, p) => value.data[p * value.shape[1] + u]),
        rows: 8,
        columns: 8,
      });
  }
  pictures.forEach((picture, i) => {
    paintGrid(
      tile(parent, `${first.name} ${i}`),
      normalised(picture.values, true),
      picture.rows,
      picture.columns,
      diverging,
    );
  });
  return pictures.length;
}

/** The image at `index` of the validation set, as a [1, 1, 8, 8] tensor. */
export function validationImage(trainer: Trainer, index: number): Tensor {
  return selectRows(trainer.problem.validation.x, [index]);
}

/** The outputs of every image-shaped layer for one image (evaluation mode), each channel as a tile. */
export function drawFeatureMaps(parent: HTMLElement, trainer: Trainer, image: Tensor): number {
  parent.replaceChildren();
  const network = trainer.network;
  const wasTraining = network.training;
  network.eval();
  let maps = 0;
  try {
    let x = image;
    for (const layer of network.layers) {
      x = layer.forward(x);
      if (x.rank !== 4) continue;
      const [, channels, h, w] = x.shape;
      for (let c = 0; c < Math.min(channels, 8); c++) {
        paintGrid(
          tile(parent, `${layer.name} ${c}`, 40),
          normalised(x.data.subarray(c * h * w, (c + 1) * h * w), false),
          h,
          w,
          gray,
        );
        maps++;
      }
    }
  } finally {
    if (wasTraining) network.train();
  }
  return maps;
}

/**
 * Saliency (seed 004: 7269–7364): |∂ score_c / ∂ input| for the predicted class c, where the score
 * is the input of the final SoftMax. Computed with the student's own backward: forward through the
 * layers, then a one-hot gradient sent back from the score through every layer's `backward`.
 */
export function saliency(
  trainer: Trainer,
  image: Tensor,
): { map: number[]; predicted: number; probabilities: number[] } {
  const network = trainer.network;
  const wasTraining = network.training;
  network.eval();
  try {
    const body = network.layers.slice(0, -1); // all but the final SoftMax
    let scores = image;
    for (const layer of body) scores = layer.forward(scores);
    const probabilities = Array.from(network.layers.at(-1)!.forward(scores).data);
    const predicted = probabilities.indexOf(Math.max(...probabilities));
    const seed = zeros(scores.shape);
    seed.data[predicted] = 1;
    let gradient = seed;
    for (let i = body.length - 1; i >= 0; i--) gradient = body[i].backward(gradient);
    return { map: Array.from(gradient.data, Math.abs), predicted, probabilities };
  } finally {
    network.optimizer.zeroGrad(network.parameters()); // the parameter gradients are not for training
    if (wasTraining) network.train();
  }
}

/**
 * Occlusion (seed 004: 7167–7196): the drop in the probability of class `c` when a 3×3 patch
 * around each pixel is blanked, for all 64 positions in one batch.
 */
export async function occlusion(trainer: Trainer, image: Tensor, c: number): Promise<number[]> {
  const pixels = Array.from(image.data);
  const batch: number[] = [];
  for (let row = 0; row < 8; row++) {
    for (let column = 0; column < 8; column++) {
      const copy = pixels.slice();
      for (let dr = -1; dr <= 1; dr++)
        for (let dc = -1; dc <= 1; dc++) {
          const [r, k] = [row + dr, column + dc];
          if (r >= 0 && r < 8 && k >= 0 && k < 8) copy[r * 8 + k] = 0;
        }
      batch.push(...copy);
    }
  }
  const classes = trainer.problem.classNames.length;
  const base = (await trainer.predict(image)).data[c];
  const occluded = await trainer.predict(tensor(batch, [64, ...image.shape.slice(1)]));
  return Array.from({ length: 64 }, (_, i) => Math.max(0, base - occluded.data[i * classes + c]));
}

/** The chosen image, its saliency map and its occlusion map, with the prediction. */
export async function drawAnalysis(parent: HTMLElement, trainer: Trainer, index: number): Promise<string> {
  parent.replaceChildren();
  const image = validationImage(trainer, index);
  const label = trainer.problem.validation.labels[index];
  paintGrid(tile(parent, `test image ${index} (label ${label})`, 96), image.data, 8, 8, gray);
  const { map, predicted, probabilities } = saliency(trainer, image);
  paintGrid(tile(parent, `saliency for class ${predicted}`, 96), normalised(map, false), 8, 8, heat);
  await nextFrame();
  paintGrid(
    tile(parent, `occlusion: drop in p(${predicted})`, 96),
    normalised(await occlusion(trainer, image, predicted), false),
    8,
    8,
    heat,
  );
  document.body.dataset.saliencyDraws = String(Number(document.body.dataset.saliencyDraws ?? 0) + 1);
  return `predicted ${predicted} with probability ${probabilities[predicted].toFixed(2)}; true label ${label}`;
}
