import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rmSync } from 'node:fs';
import { withKernels } from '../../framework/backend/kernel-registry.js';
import { predictScores } from '../../framework/challenge/predict-scores.js';
import { loadFashionMnist } from '../../framework/data/fashion-mnist.js';
import { fastConvKernels } from '../../solutions/layers/conv2d-fast.js';
import type { ChallengeNeuralNetwork } from '../../scripts/challenge/implementation.js';
import { progress } from '../lib/log.js';
import { figures } from '../lib/report.js';
import { round, timePerUnit, timingFor, type Timing } from '../lib/timing.js';

/**
 * Exercise 7, the challenge (issue 13): what `npm run challenge:train` costs on the reference layers.
 *   challenge-baseline-train   ms per training step of the baseline model (the stub a student starts
 *                              from, on the reference layers), batches of 64 on Fashion-MNIST, with the
 *                              im2col fast path ('dlkit') and with the plain loops ('dlkit_oracle'), and
 *                              ms to score the 2,000 validation images; extrapolated to the whole
 *                              default training (its epochs × 157 steps + one validation pass per
 *                              epoch). Target: at most 300 s of CPU time (the 5 minutes).
 *   challenge-strong-train     the same for the kit's reference strong model (solutions/), no target.
 * The timed steps are the network's own `fit` on the first batches of the training set; CPU time is
 * what the figures and the target use, wall clock beside it (bench/lib/timing.ts).
 */
export const runByDefault = true;

const TARGET_SECONDS = 300;
const BATCH = 64;

interface ModelModule {
  buildModel(seed?: number): ChallengeNeuralNetwork;
  trainingEpochs(): number;
}

export default async function* challenge(options: { quick: boolean }): AsyncGenerator<Record<string, unknown>> {
  const timing = timingFor(options.quick);
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const folder = path.join(root, '.challenge-baseline-bench');
  // Loaded here, not at the top: it brings the stub tool (and TypeScript's compiler), and `--list` imports every suite.
  const { writeBaselineModelOnReference } = await import('../../scripts/challenge/baseline-implementation.js');
  try {
    const file = await writeBaselineModelOnReference(root, folder);
    const baseline = (await import(pathToFileURL(file).href)) as ModelModule;
    yield measure(
      'challenge-baseline-train',
      'the baseline (exercises/challenge/model.ts) on the reference layers',
      baseline,
      timing,
      options.quick,
      true,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const strong = (await import('../../solutions/challenge/model.js')) as ModelModule;
  yield measure(
    'challenge-strong-train',
    'the reference strong model (solutions/challenge/model.ts)',
    strong,
    timing,
    options.quick,
    false,
  );
}

function measure(
  name: string,
  model: string,
  module: ModelModule,
  timing: ReturnType<typeof timingFor>,
  quick: boolean,
  withTarget: boolean,
): Record<string, unknown> {
  const train = loadFashionMnist('train', quick ? { limit: 640 } : {});
  const validation = loadFashionMnist('validation', quick ? { limit: 250 } : {});
  const network = module.buildModel(7);
  const parameters = network.parameters().reduce((total, p) => total + p.value.size, 0);
  const step = (count: number): void => {
    network.fit({ data: train, iterations: count, batchSize: BATCH });
  };
  const fastStep = timePerUnit((count) => withKernels(fastConvKernels, () => step(count)), timing);
  progress(`${name}: ${fastStep.cpuMs.toFixed(1)} ms CPU per step (im2col)`);
  const oracleStep: Timing = quick ? fastStep : timePerUnit(step, { ...timing, repeats: 3 });
  if (!quick) progress(`${name}: ${oracleStep.cpuMs.toFixed(1)} ms CPU per step (plain loops)`);
  const scoring = timePerUnit(() => withKernels(fastConvKernels, () => predictScores(network, validation.x)), {
    ...timing,
    repeats: quick ? 1 : 3,
  });
  progress(`${name}: ${scoring.cpuMs.toFixed(0)} ms CPU to score ${validation.labels.length} validation images`);
  const epochs = module.trainingEpochs();
  const steps = Math.ceil(10_000 / BATCH);
  const total = (time: Timing, key: 'cpuMs' | 'wallMs'): number => (epochs * (steps * time[key] + scoring[key])) / 1000;
  const record: Record<string, unknown> = {
    name,
    model,
    parameters,
    batch: BATCH,
    epochs,
    steps_per_epoch: steps,
    ...figures('', fastStep, (ms) => ms, 'ms_per_step'),
    ...figures('dlkit_oracle_', oracleStep, (ms) => ms, 'ms_per_step'),
    ...figures('', scoring, (ms) => ms, 'ms_validation_scoring'),
    training_s: round(total(fastStep, 'cpuMs')),
    wall_training_s: round(total(fastStep, 'wallMs')),
    dlkit_oracle_training_s: round(total(oracleStep, 'cpuMs')),
    note: 'training_s = epochs × (steps_per_epoch × ms_per_step + ms_validation_scoring) / 1000, extrapolated from the timed steps',
  };
  if (quick)
    record.quick =
      'a smoke run: 640 training and 250 validation images, the oracle not timed; figures are not measurements';
  if (withTarget) {
    record.target = `training_s <= ${TARGET_SECONDS}`;
    record.meets_target = total(fastStep, 'cpuMs') <= TARGET_SECONDS;
  }
  return record;
}
