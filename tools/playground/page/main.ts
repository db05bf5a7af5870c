/**
 * The playground page: pick a data set, build a network from the student's components, train it
 * and watch. Progress is mirrored on `document.body.dataset` (iteration, loss, accuracy, backend,
 * state, …) for the kit's browser tests and benchmark.
 */
import type { Device } from '../../../framework/tensor/tensor.js';
import { drawBoundary, drawData } from './boundary.js';
import { Curves } from './charts.js';
import { defaultLearningRates } from './components.js';
import { drawConfusion } from './confusion.js';
import { irisFeatureNames, makeProblem, type Problem, type ProblemName } from './datasets.js';
import { drawAnalysis, drawFeatureMaps, drawFilters, validationImage } from './digits-views.js';
import { LayerEditor } from './editor.js';
import { nextFrame } from './frames.js';
import { explain, showExplanation } from './explain.js';
import { presetLayers, type NetworkSpec } from './network.js';
import { Trainer, type Evaluation } from './trainer.js';
import { startWebGpu, webGpuUnavailable } from './webgpu.js';

/** The implementation folder the page was built from (set by tools/playground/build.ts). */
declare const DLKIT_PLAYGROUND_IMPLEMENTATION: string;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const body = document.body.dataset;
const message = $<HTMLDivElement>('message');
const curves = new Curves($('loss-chart'), $('accuracy-chart'));
const editor = new LayerEditor($('layers'), () => void reset());

/** Training time per animation frame: the page draws between slices, so it stays responsive. */
const SLICE_MS = 10;
/** How often the curves, the boundary and the confusion matrix are refreshed while training (Digits and WebGPU: less often, their evaluation costs more). */
const REFRESH_MS = { plane: 250, images: 1000, webgpu: 1500 };
/** How often the Digits pictures (filters, feature maps, saliency, occlusion) are redrawn while training. */
const PICTURES_MS = 2500;

let problem: Problem | undefined;
let trainer: Trainer | undefined;
let device: Device = 'cpu';
let running = false;
let busy = false;
let smoothedLoss = NaN;
let lastRefresh = 0;
let lastPictures = 0;
let lastFrame = 0;
let generation = 0;

function setState(state: 'ready' | 'training' | 'paused' | 'error'): void {
  body.state = state;
  running = state === 'training';
  $('train').textContent = running ? 'Pause' : 'Train';
}

function fail(error: unknown): void {
  showExplanation(message, explain(error));
  setState('error');
}

function spec(): NetworkSpec {
  const number = (id: string, fallback: number) => {
    const value = Number($<HTMLInputElement>(id).value);
    return Number.isFinite(value) ? value : fallback;
  };
  return {
    layers: editor.layers,
    optimizer: $<HTMLSelectElement>('optimizer').value,
    learningRate: number('lr', 0.01),
    batchSize: Math.max(1, Math.round(number('batch', 32))),
    seed: Math.round(number('seed', 1)),
  };
}

function irisFeatures(): [number, number] {
  return [Number($<HTMLSelectElement>('iris-x').value), Number($<HTMLSelectElement>('iris-y').value)];
}

/** Builds the data set and a fresh network; checks one training step on a throwaway copy first. */
async function reset(): Promise<void> {
  const mine = ++generation;
  setState('paused');
  while (busy) await new Promise((resolve) => setTimeout(resolve, 5));
  if (mine !== generation) return;
  trainer = undefined;
  smoothedLoss = NaN;
  curves.clear();
  Object.assign(body, { iteration: '0', loss: '', accuracy: '', maxFrameGap: '0' });
  showExplanation(message, undefined);
  const name = $<HTMLSelectElement>('dataset').value as ProblemName;
  $('iris-features').hidden = name !== 'iris';
  $('plane-view').hidden = name === 'digits';
  $('digits-view').hidden = name !== 'digits';
  busy = true;
  try {
    problem = makeProblem(name, { seed: spec().seed, irisFeatures: irisFeatures() });
    if (device === 'cpu') await (await Trainer.create(problem, spec(), 'cpu')).step(); // a stub shows up now, not mid-run
    trainer = await Trainer.create(problem, spec(), device);
    body.backend = device;
    await refresh(true);
    setState('ready');
  } catch (error) {
    fail(error);
    if (problem?.plane) drawData($('boundary'), problem); // the data is given code: show it anyway
  } finally {
    busy = false;
  }
}

function showProgress(evaluation?: Evaluation): void {
  if (!trainer) return;
  body.iteration = String(trainer.iteration);
  $('stat-iteration').textContent = String(trainer.iteration);
  if (Number.isFinite(smoothedLoss)) {
    body.loss = smoothedLoss.toFixed(5);
    $('stat-loss').textContent = smoothedLoss.toFixed(3);
  }
  if (evaluation) {
    body.accuracy = evaluation.validationAccuracy.toFixed(4);
    $('stat-accuracy').textContent = `${(100 * evaluation.validationAccuracy).toFixed(1)}%`;
    if (!Number.isFinite(smoothedLoss)) body.loss = evaluation.trainLoss.toFixed(5);
  }
}

/** Evaluates and redraws the curves, the boundary or the Digits pictures, and the confusion matrix. */
async function refresh(pictures: boolean): Promise<void> {
  if (!trainer || !problem) return;
  const begin = performance.now();
  const evaluation = await trainer.evaluate();
  await nextFrame(); // each piece of a refresh in its own frame: the page keeps drawing
  curves.add(evaluation);
  showProgress(evaluation);
  drawConfusion($('confusion'), evaluation.confusion, problem.classNames);
  await nextFrame();
  if (problem.plane) await drawBoundary($('boundary'), trainer);
  else if (pictures) await drawDigits();
  lastRefresh = performance.now();
  body.refreshMs = (lastRefresh - begin).toFixed(1);
}

async function drawDigits(): Promise<void> {
  if (!trainer) return;
  body.filters = String(await drawFilters($('filters'), trainer));
  if (device !== 'cpu') {
    $('feature-maps').replaceChildren();
    $('analysis').replaceChildren();
    $('analysis-text').textContent =
      'Feature maps, saliency and occlusion run on the CPU backend: switch WebGPU off to see them.';
    return;
  }
  const count = trainer.problem.validation.labels.length;
  const input = $<HTMLInputElement>('image-index');
  const index = Math.min(count - 1, Math.max(0, Math.round(Number(input.value) || 0)));
  input.max = String(count - 1);
  body.featureMaps = String(drawFeatureMaps($('feature-maps'), trainer, validationImage(trainer, index)));
  await nextFrame();
  $('analysis-text').textContent = await drawAnalysis($('analysis'), trainer, index);
  lastPictures = performance.now();
}

async function trainSlice(): Promise<void> {
  if (!trainer) return;
  const start = performance.now();
  do {
    const begin = performance.now();
    const loss = await trainer.step();
    body.stepMs = (performance.now() - begin).toFixed(1);
    smoothedLoss = Number.isFinite(smoothedLoss) ? 0.95 * smoothedLoss + 0.05 * loss : loss;
  } while (running && performance.now() - start < SLICE_MS);
  showProgress();
  const now = performance.now();
  if (
    now - lastRefresh >
    (device !== 'cpu' ? REFRESH_MS.webgpu : problem?.plane ? REFRESH_MS.plane : REFRESH_MS.images)
  )
    await refresh(now - lastPictures > PICTURES_MS);
}

function frame(now: number): void {
  if (running && lastFrame > 0)
    body.maxFrameGap = String(Math.max(Number(body.maxFrameGap ?? 0), Math.round(now - lastFrame)));
  lastFrame = now;
  if (running && !busy) {
    busy = true;
    trainSlice()
      .catch(fail)
      .finally(() => (busy = false));
  }
  requestAnimationFrame(frame);
}

async function stepOnce(): Promise<void> {
  if (!trainer || busy) return;
  setState('paused');
  busy = true;
  try {
    smoothedLoss = await trainer.step();
    await refresh(true);
  } catch (error) {
    fail(error);
  } finally {
    busy = false;
  }
}

async function toggleWebGpu(checkbox: HTMLInputElement): Promise<void> {
  const status = $('gpu-status');
  if (!checkbox.checked) {
    device = 'cpu';
    status.textContent = 'off: the CPU kernels (your plain loops) run.';
    await reset();
    return;
  }
  status.textContent = 'starting WebGPU…';
  try {
    status.textContent = `on: ${await startWebGpu()}. Switching reset the network.`;
    body.adapter = status.textContent;
    device = 'webgpu';
  } catch (error) {
    checkbox.checked = false;
    device = 'cpu';
    status.textContent = `WebGPU could not start: ${(error as Error).message}`;
  }
  await reset();
}

function setUp(): void {
  $('implementation').textContent = DLKIT_PLAYGROUND_IMPLEMENTATION;
  for (const id of ['iris-x', 'iris-y']) {
    const select = $<HTMLSelectElement>(id);
    irisFeatureNames.forEach((name, i) => {
      select.append(new Option(name, String(i), false, i === (id === 'iris-x' ? 2 : 3)));
    });
  }
  const dataset = $<HTMLSelectElement>('dataset');
  editor.layers = presetLayers[dataset.value];
  dataset.addEventListener('change', () => {
    editor.layers = presetLayers[dataset.value];
    void reset();
  });
  $('optimizer').addEventListener('change', () => {
    $<HTMLInputElement>('lr').value = String(defaultLearningRates[$<HTMLSelectElement>('optimizer').value] ?? 0.01);
  });
  for (const id of ['iris-x', 'iris-y', 'optimizer', 'lr', 'batch', 'seed'])
    $(id).addEventListener('change', () => void reset());
  $('add-layer').addEventListener('click', () => editor.add());
  $('train').addEventListener('click', () => {
    if (!trainer) return;
    if (!running) {
      body.maxFrameGap = '0';
      lastFrame = 0;
    }
    setState(running ? 'paused' : 'training');
  });
  $('step').addEventListener('click', () => void stepOnce());
  $('reset').addEventListener('click', () => void reset());
  $('image-index').addEventListener('change', () => void drawDigits().catch(fail));
  $('next-image').addEventListener('click', () => {
    const input = $<HTMLInputElement>('image-index');
    input.value = String(Number(input.value) + 1);
    void drawDigits().catch(fail);
  });
  const checkbox = $<HTMLInputElement>('webgpu');
  const unavailable = webGpuUnavailable();
  body.webgpu = unavailable ? 'unavailable' : 'available';
  if (unavailable) {
    checkbox.disabled = true;
    $('gpu-switch').classList.add('unavailable');
    $('gpu-status').textContent = `unavailable: ${unavailable}.`;
  } else {
    $('gpu-status').textContent = 'off: the CPU kernels (your plain loops) run.';
    checkbox.addEventListener('change', () => void toggleWebGpu(checkbox));
  }
  body.backend = device;
  requestAnimationFrame(frame);
  void reset();
}

setUp();
