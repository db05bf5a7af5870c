import { tensor } from '../../../framework/tensor/create.js';
import { classColors } from './colors.js';
import type { Problem } from './datasets.js';
import type { Trainer } from './trainer.js';

/** Grid cells per side of the decision-boundary picture (fewer on WebGPU, where each read-back waits for the device). */
const gridFor = (trainer: Trainer): number => (trainer.device === 'cpu' ? 64 : 32);

/**
 * The decision boundary of a 2-D problem: the network's class probabilities on a 64 × 64 grid
 * over the plane (32 × 32 on WebGPU), as a heat map (each cell the probability-weighted mix of the class colours, washed
 * out where the network is unsure), with the training points (circles) and validation points
 * (squares) on top.
 */
export async function drawBoundary(canvas: HTMLCanvasElement, trainer: Trainer): Promise<void> {
  const plane = trainer.problem.plane!;
  const grid = gridFor(trainer);
  const points: number[] = [];
  for (let row = 0; row < grid; row++) {
    for (let column = 0; column < grid; column++) {
      points.push(
        plane.xMin + ((column + 0.5) / grid) * (plane.xMax - plane.xMin),
        plane.yMax - ((row + 0.5) / grid) * (plane.yMax - plane.yMin),
      );
    }
  }
  const probabilities = (await trainer.predict(tensor(points, [grid * grid, 2]))).data;
  const classes = trainer.problem.classNames.length;
  const small = document.createElement('canvas');
  small.width = grid;
  small.height = grid;
  const image = new ImageData(grid, grid);
  for (let cell = 0; cell < grid * grid; cell++) {
    let [r, g, b, top] = [0, 0, 0, 0];
    for (let c = 0; c < classes; c++) {
      const p = probabilities[cell * classes + c];
      r += p * classColors[c][0];
      g += p * classColors[c][1];
      b += p * classColors[c][2];
      top = Math.max(top, p);
    }
    const strength = 0.25 + (0.45 * (top - 1 / classes)) / (1 - 1 / classes); // unsure → pale
    image.data.set([255 + strength * (r - 255), 255 + strength * (g - 255), 255 + strength * (b - 255), 255], cell * 4);
  }
  small.getContext('2d')!.putImageData(image, 0, 0);
  const context = canvas.getContext('2d')!;
  context.imageSmoothingEnabled = true;
  context.drawImage(small, 0, 0, canvas.width, canvas.height);
  drawPoints(context, canvas, trainer.problem);
  document.body.dataset.boundaryDraws = String(Number(document.body.dataset.boundaryDraws ?? 0) + 1);
}

/** The data alone on a white plane (before the network can run). */
export function drawData(canvas: HTMLCanvasElement, problem: Problem): void {
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  drawPoints(context, canvas, problem);
}

function drawPoints(context: CanvasRenderingContext2D, canvas: HTMLCanvasElement, problem: Problem): void {
  const plane = problem.plane!;
  const toCanvas = (x: number, y: number) => [
    ((x - plane.xMin) / (plane.xMax - plane.xMin)) * canvas.width,
    ((plane.yMax - y) / (plane.yMax - plane.yMin)) * canvas.height,
  ];
  const draw = (x: Float64Array | Float32Array, labels: readonly number[], square: boolean) => {
    labels.forEach((label, i) => {
      const [px, py] = toCanvas(x[2 * i], x[2 * i + 1]);
      context.fillStyle = `rgb(${classColors[label].join(',')})`;
      context.strokeStyle = '#fff';
      context.lineWidth = 1;
      context.beginPath();
      if (square) context.rect(px - 3.5, py - 3.5, 7, 7);
      else context.arc(px, py, 3.5, 0, 2 * Math.PI);
      context.fill();
      context.stroke();
    });
  };
  draw(problem.train.x.data, problem.train.labels, false);
  draw(problem.validation.x.data, problem.validation.labels, true);
  context.fillStyle = '#333';
  context.font = '12px sans-serif';
  context.fillText(plane.axes[0], canvas.width - context.measureText(plane.axes[0]).width - 6, canvas.height - 6);
  context.save();
  context.translate(14, 6 + context.measureText(plane.axes[1]).width);
  context.rotate(-Math.PI / 2);
  context.fillText(plane.axes[1], 0, 0);
  context.restore();
}
