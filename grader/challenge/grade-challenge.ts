import { fileURLToPath } from 'node:url';
import type { ChallengeSpec, ExerciseSpec } from '../../course/course.js';
import { bundleChecks, type BundleResult, type CompileError } from '../sandbox/bundle.js';
import { runCaseProcess, type CaseProcessEnd } from '../sandbox/case-process.js';
import type { Isolation } from '../sandbox/isolation.js';
import { BASE64_PREFIX, type ErrorData } from '../sandbox/protocol.js';
import { isPlaceholderWeights, PLACEHOLDER_MESSAGE } from '../../framework/challenge/placeholder-weights.js';
import type { ChallengeReport } from '../report/report-types.js';
import { challengePoints, challengePossible } from './challenge-points.js';
import { hiddenSetMetrics } from './hidden-set-metrics.js';
import type { HiddenTestSet } from './hidden-test-set.js';
import { unscoredChallenge } from './unscored-challenge.js';
import { CARRIED_IMAGES, CARRIED_WEIGHTS } from './carried-files.js';

/**
 * Grades a challenge exercise's hidden test set for one submission (docs/grader.md, "The challenge"):
 *
 * 1. the weights file is checked against the weights cap before anything runs;
 * 2. the submission's model file and its layers are bundled with sandbox/score-hidden-images.ts (the
 *    grader's own bundler and plugins: a submission imports only framework/ and its own files), the
 *    bundle carrying the hidden images and the weights, never the labels;
 * 3. one sandboxed process (the grader's isolation and memory limit) builds the model, loads the weights
 *    and returns the scores of every image; the clock runs from the check's start to its result, and the
 *    process is killed a little after the inference cap;
 * 4. here, outside: the scores must be [images][classes] of finite numbers; the parameter cap is checked
 *    against the larger of the network's count and the weights file's; accuracy, the confusion matrix,
 *    per-class precision/recall/F1 and the points come from the labels and the manifest's thresholds.
 *
 * Every failure (missing file, compile error, a throw, a wrong shape, NaN, a cap broken, a crash) is a
 * reason and 0 for the challenge only.
 */
export interface ChallengeGradingOptions {
  readonly kitRoot: string;
  readonly exercise: ExerciseSpec & { readonly challenge: ChallengeSpec };
  /** The submission's owned files: path under exercises/ → text. */
  readonly files: ReadonlyMap<string, string>;
  readonly isolation: Isolation;
  readonly memoryBytes: number;
  readonly hidden: HiddenTestSet;
}

export interface ChallengeOutcome {
  readonly report: ChallengeReport;
  /** What the process printed, for the instructor's sandbox.log. */
  readonly log: string;
}

/** Time for the process to start and load the code before the check's clock starts, and after the cap before it is killed. */
const LOAD_GRACE_MS = 30_000;
const KILL_GRACE_MS = 2_000;
const SCORED_CHECK = 'ChallengeModel/hidden-scores-every-hidden-test-image';
const MESSAGE_CHARACTERS = 300;
const FAST_CONV_FILE = 'layers/conv2d-fast.ts';

const sandboxModule = fileURLToPath(new URL('./sandbox/score-hidden-images.ts', import.meta.url));

export async function gradeChallenge(options: ChallengeGradingOptions): Promise<ChallengeOutcome> {
  const { exercise, files, hidden } = options;
  const spec = exercise.challenge;
  const measured = {
    weightsBytes: null as number | null,
    parameters: null as number | null,
    inferenceSeconds: null as number | null,
  };
  const failed = (reason: string, log = ''): ChallengeOutcome => ({
    report: unscoredChallenge(exercise, reason, { ...measured }),
    log,
  });

  const missing = [spec.modelFile, spec.weightsFile].filter((file) => !files.has(file));
  if (missing.length > 0)
    return failed(
      `the submission has no ${missing.map((f) => `exercises/${f}`).join(', ')}: the challenge was not run`,
    );
  const weights = files.get(spec.weightsFile) as string;
  measured.weightsBytes = Buffer.byteLength(weights, 'utf8');
  if (measured.weightsBytes > spec.caps.weightsBytes) {
    return failed(
      `exercises/${spec.weightsFile} is ${measured.weightsBytes} bytes, over the cap of ${spec.caps.weightsBytes} bytes: make the model smaller`,
    );
  }
  const fileParameters = parametersInWeightsFile(weights);
  if (typeof fileParameters === 'string') return failed(`exercises/${spec.weightsFile} ${fileParameters}`);

  const { bundle } = await bundleChallenge(options.kitRoot, files, weights, hidden);
  if (!bundle.ok) return failed(`the model does not compile: ${describeCompileErrors(bundle.errors)}`);

  const run = await runScoring(bundle.code, options);
  const log = run.end.output.trim()
    ? `--- ${exercise.id} challenge (hidden test set) ---\n${run.end.output.trim()}`
    : '';
  if (run.seconds !== undefined) measured.inferenceSeconds = Math.round(run.seconds * 1000) / 1000;
  if (run.loadError) return failed(`the model failed while loading: ${errorText(run.loadError)}`, log);
  if (run.error)
    return failed(`building the model, loading its weights or scoring the images threw ${errorText(run.error)}`, log);
  if (run.data === undefined) return failed(endReason(run.end, run.overCap, spec, options.memoryBytes), log);
  if (measured.inferenceSeconds !== null && measured.inferenceSeconds > spec.caps.inferenceSeconds) {
    return failed(
      `building the model, loading the weights and scoring the ${hidden.labels.length} hidden images took ${measured.inferenceSeconds} s, over the cap of ${spec.caps.inferenceSeconds} s`,
      log,
    );
  }
  const checked = checkResult(run.data, hidden.labels.length, hidden.classNames.length);
  if (typeof checked === 'string') return failed(checked, log);
  measured.parameters = Math.max(checked.parameters, fileParameters);
  if (measured.parameters > spec.caps.parameters) {
    return failed(`the model has ${measured.parameters} parameters, over the cap of ${spec.caps.parameters}`, log);
  }
  const metrics = hiddenSetMetrics(checked.scores, hidden.labels, hidden.classNames.length);
  return {
    report: {
      ...unscoredChallenge(exercise, ''),
      status: 'scored',
      accuracy: metrics.accuracy,
      points: {
        earned: challengePoints(metrics.accuracy, spec.thresholds),
        possible: challengePossible(spec.thresholds),
      },
      measured: { ...measured },
      classes: hidden.classNames.map((name, k) => ({
        name,
        precision: metrics.precision[k],
        recall: metrics.recall[k],
        f1: metrics.f1[k],
        support: metrics.support[k],
      })),
      confusionMatrix: metrics.confusionMatrix,
    },
    log,
  };
}

/**
 * The challenge's bundle: the sandbox module with the submission's files, carrying exactly the hidden
 * images and the weights (`carried`: what the runner writes next to the bundle). Exported for the test
 * that the labels never travel.
 */
export async function bundleChallenge(
  kitRoot: string,
  files: ReadonlyMap<string, string>,
  weights: string,
  hidden: HiddenTestSet,
): Promise<{ bundle: BundleResult; carried: Record<string, string> }> {
  const carried = {
    [CARRIED_IMAGES]: `${BASE64_PREFIX}${Buffer.from(hidden.imagesGzip).toString('base64')}`,
    [CARRIED_WEIGHTS]: `${BASE64_PREFIX}${Buffer.from(weights, 'utf8').toString('base64')}`,
  };
  // The sandbox module imports the submission's fast Conv kernels; a submission without the file gets an
  // empty stand-in (its model then runs on the plain loops) instead of a compile error.
  const withFastPath = files.has(FAST_CONV_FILE)
    ? files
    : new Map([...files, [FAST_CONV_FILE, 'export const fastConvKernels = undefined;\n']]);
  const bundle = await bundleChecks(
    kitRoot,
    [sandboxModule],
    { kind: 'memory', files: withFastPath },
    { dataFolders: false, carry: carried },
  );
  return { bundle, carried };
}

interface ScoringRun {
  readonly end: CaseProcessEnd;
  readonly data?: unknown;
  readonly error?: ErrorData;
  readonly loadError?: ErrorData;
  /** Stopped by the inference cap's clock. */
  readonly overCap: boolean;
  /** From the check's start frame to its result or error (or to the process's end). */
  readonly seconds?: number;
}

async function runScoring(code: string, options: ChallengeGradingOptions): Promise<ScoringRun> {
  const capMs = options.exercise.challenge.caps.inferenceSeconds * 1000;
  let startedAt: number | undefined;
  let finishedAt: number | undefined;
  let data: unknown;
  let error: ErrorData | undefined;
  let loadError: ErrorData | undefined;
  // The cap's own clock, from the check's start frame: the process clock below gives loading its grace.
  let capTimer: NodeJS.Timeout | undefined;
  let overCap = false;
  const run = runCaseProcess({
    code,
    config: { seed: 0, visibility: 'hidden', skip: [] },
    isolation: options.isolation,
    memoryBytes: options.memoryBytes,
    caseTimeoutMs: LOAD_GRACE_MS + capMs + KILL_GRACE_MS,
    deadline: Date.now() + LOAD_GRACE_MS + capMs + KILL_GRACE_MS,
    onFrame: (frame) => {
      const f =
        frame !== null && typeof frame === 'object'
          ? (frame as { t?: unknown; id?: unknown; data?: unknown; error?: unknown })
          : {};
      if (f.t === 'start' && f.id === SCORED_CHECK && startedAt === undefined) {
        startedAt = Date.now();
        capTimer = setTimeout(() => {
          overCap = true;
          run.stop();
        }, capMs + KILL_GRACE_MS);
      } else if (f.t === 'result' && f.id === SCORED_CHECK && startedAt !== undefined && finishedAt === undefined) {
        finishedAt = Date.now();
        data = f.data;
      } else if (f.t === 'error' && f.id === SCORED_CHECK && startedAt !== undefined && finishedAt === undefined) {
        finishedAt = Date.now();
        error = asErrorData(f.error);
      } else if (f.t === 'load-error' && startedAt === undefined) loadError = asErrorData(f.error);
    },
  });
  const end = await run.done;
  clearTimeout(capTimer);
  const stop = finishedAt ?? Date.now();
  return {
    end,
    data,
    error,
    loadError,
    overCap,
    ...(startedAt !== undefined ? { seconds: (stop - startedAt) / 1000 } : {}),
  };
}

/** The returned data: `{ parameters, scores }` with scores [images][classes] of finite numbers, or why not. */
export function checkResult(
  data: unknown,
  images: number,
  classes: number,
): { parameters: number; scores: number[][] } | string {
  const record =
    data !== null && typeof data === 'object' && !Array.isArray(data)
      ? (data as { parameters?: unknown; scores?: unknown })
      : undefined;
  if (!record)
    return 'the scoring returned something that is not { parameters, scores } (tampering with the grader channel?)';
  const parameters = record.parameters;
  if (typeof parameters !== 'number' || !Number.isInteger(parameters) || parameters < 0)
    return `the network's parameter count is not a non-negative integer (${String(parameters).slice(0, 40)})`;
  const scores = record.scores;
  if (!Array.isArray(scores) || scores.length !== images) {
    return `the scores have ${Array.isArray(scores) ? scores.length : 'no'} rows, expected one per hidden image (${images}): predict must return [batch, ${classes}]`;
  }
  for (let i = 0; i < scores.length; i++) {
    const row: unknown = scores[i];
    if (!Array.isArray(row) || row.length !== classes)
      return `the scores of image ${i} are not ${classes} numbers (one per class): predict must return [batch, ${classes}]`;
    for (let k = 0; k < classes; k++) {
      const value: unknown = row[k];
      if (typeof value !== 'number' || !Number.isFinite(value))
        return `the score of image ${i} for class ${k} is ${typeof value === 'number' ? String(value) : `not a number`}: every score must be a finite number`;
    }
  }
  return { parameters, scores: scores as number[][] };
}

/** The number of values in the parameters of a dlkit weights file (JSON.stringify(network.toJSON())), or why it cannot be read. */
export function parametersInWeightsFile(text: string): number | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `is not valid JSON (${(error as Error).message.slice(0, 120)})`;
  }
  if (isPlaceholderWeights(json)) return `is the handout's placeholder, not trained weights (${PLACEHOLDER_MESSAGE})`;
  const layers = json !== null && typeof json === 'object' ? (json as { layers?: unknown }).layers : undefined;
  if (!Array.isArray(layers))
    return "is not a dlkit weights file (expected { format: 'dlkit-weights', version: 1, layers: [...] }, as `npm run challenge:train` writes it)";
  let total = 0;
  for (const layer of layers) {
    const parameters =
      layer !== null && typeof layer === 'object' ? (layer as { parameters?: unknown }).parameters : undefined;
    if (parameters === null || typeof parameters !== 'object') continue;
    for (const saved of Object.values(parameters as Record<string, unknown>)) {
      const values = saved !== null && typeof saved === 'object' ? (saved as { data?: unknown }).data : undefined;
      if (Array.isArray(values)) total += values.length;
    }
  }
  return total;
}

function endReason(end: CaseProcessEnd, overCap: boolean, spec: ChallengeSpec, memoryBytes: number): string {
  if (
    overCap ||
    end.killed?.reason === 'case-timeout' ||
    end.killed?.reason === 'submission-timeout' ||
    end.killed?.reason === 'file-timeout'
  ) {
    return `no scores within the inference cap (${spec.caps.inferenceSeconds} s to build the model, load the weights and score every hidden image): a loop that never ends, or a model far too slow`;
  }
  if (end.killed) return `the process was stopped: ${end.killed.detail}`;
  if (end.code === 134 || end.signal === 'SIGABRT' || /out of memory|allocation failed/i.test(end.output))
    return `ran out of memory (limit ${Math.round(memoryBytes / 1048576)} MiB) while scoring the hidden images`;
  return `the process ended before it returned the scores (${end.signal ? `killed by ${end.signal}` : `exit code ${end.code}`}); does the model call process.exit?`;
}

function asErrorData(value: unknown): ErrorData {
  const record = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return {
    name: typeof record.name === 'string' ? record.name : 'Error',
    message: typeof record.message === 'string' ? record.message : '',
  };
}

/** The student's error, on one bounded line (a message could otherwise carry a hidden image out). */
function errorText(error: ErrorData): string {
  const message = error.message.split('\n')[0];
  const shown = message.length > MESSAGE_CHARACTERS ? `${message.slice(0, MESSAGE_CHARACTERS)}…` : message;
  return `${error.name.slice(0, 80)}: ${shown}`;
}

function describeCompileErrors(errors: readonly CompileError[]): string {
  const shown = errors.slice(0, 3).map((e) => (e.file ? `${e.file}:${e.line}:${e.column}: ${e.message}` : e.message));
  return `${shown.join('; ')}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`;
}
