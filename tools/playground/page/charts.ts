import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';
import type { Evaluation } from './trainer.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Title, Tooltip);

/** Up to this many points per curve: older points are thinned (every other one dropped) beyond it. */
const MAX_POINTS = 400;

function lineChart(canvas: HTMLCanvasElement, title: string, yMax?: number): Chart<'line', { x: number; y: number }[]> {
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'training',
          data: [],
          borderColor: '#1f77b4',
          backgroundColor: '#1f77b4',
          pointRadius: 0,
          borderWidth: 2,
        },
        {
          label: 'validation',
          data: [],
          borderColor: '#ff7f0e',
          backgroundColor: '#ff7f0e',
          pointRadius: 0,
          borderWidth: 2,
        },
      ],
    },
    options: {
      animation: false,
      responsive: false,
      parsing: false,
      normalized: true,
      plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'iteration' }, min: 0 },
        y: { type: 'linear', min: 0, ...(yMax === undefined ? {} : { max: yMax }) },
      },
    },
  });
}

/** The live loss and accuracy curves (training and validation), drawn by Chart.js. */
export class Curves {
  readonly #loss: Chart<'line', { x: number; y: number }[]>;
  readonly #accuracy: Chart<'line', { x: number; y: number }[]>;

  constructor(lossCanvas: HTMLCanvasElement, accuracyCanvas: HTMLCanvasElement) {
    this.#loss = lineChart(lossCanvas, 'loss (cross-entropy)');
    this.#accuracy = lineChart(accuracyCanvas, 'accuracy', 1);
  }

  add(evaluation: Evaluation): void {
    const x = evaluation.iteration;
    const push = (chart: Chart<'line', { x: number; y: number }[]>, train: number, validation: number) => {
      const [a, b] = chart.data.datasets;
      if (a.data.at(-1)?.x === x) {
        a.data.pop();
        b.data.pop();
      }
      a.data.push({ x, y: train });
      b.data.push({ x, y: validation });
      if (a.data.length > MAX_POINTS)
        for (const set of [a, b]) set.data = set.data.filter((_, i) => i % 2 === 0 || i === set.data.length - 1);
      chart.update('none');
    };
    push(this.#loss, evaluation.trainLoss, evaluation.validationLoss);
    push(this.#accuracy, evaluation.trainAccuracy, evaluation.validationAccuracy);
  }

  clear(): void {
    for (const chart of [this.#loss, this.#accuracy]) {
      for (const set of chart.data.datasets) set.data = [];
      chart.update('none');
    }
  }
}
