import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleChecks } from '../../grader/sandbox/bundle.js';
import { bundleChallenge, gradeChallenge, type ChallengeOutcome } from '../../grader/challenge/grade-challenge.js';
import { CARRIED_IMAGES, CARRIED_WEIGHTS } from '../../grader/challenge/carried-files.js';
import { probeIsolation } from '../../grader/sandbox/isolation.js';
import { BASE64_PREFIX } from '../../grader/sandbox/protocol.js';
import type { ChallengeSpec } from '../../course/course.js';
import {
  challengeSpecExercise,
  FIXTURE_ACCURACY,
  FIXTURE_IMAGES,
  fixtureFiles,
  fixtureHiddenSet,
  fixtureModel,
  fixtureWeights,
  withLayer,
} from './challenge-fixture.js';
import { kitRoot, TEST_LIMITS } from './helpers.js';

/**
 * The challenge's hidden-test grading in the real sandbox, on the tiny fixture (challenge-fixture.ts:
 * 20 images, a Flatten → FullyConnected model that gets exactly 15 right): the accuracy, the confusion
 * matrix and the points the orchestrator computes, every way a model can fail (each a reason and 0),
 * each cap, and what the bundle carries (never the labels). The submissions run concurrently (most of
 * each run is process start and loading), about 2 s each on a quiet 2-core machine.
 */
const hidden = fixtureHiddenSet();
const thresholds: ChallengeSpec['thresholds'] = [
  { accuracy: 0.5, points: 10, label: 'baseline' },
  { accuracy: 1, points: 20, label: 'strong' },
];

async function grade(
  model: string | undefined,
  weights: string | undefined,
  changes: Partial<ChallengeSpec> = {},
): Promise<ChallengeOutcome> {
  return gradeChallenge({
    kitRoot,
    exercise: challengeSpecExercise({ thresholds, ...changes }),
    files: fixtureFiles(model, weights),
    isolation: probeIsolation(),
    memoryBytes: TEST_LIMITS.memoryBytes,
    hidden,
  });
}

const throwing = fixtureModel(
  'new FullyConnected(28 * 28, 10, { rng })',
  "throw new RangeError('the model file throws while loading');",
);
const nanLayer = `class NotANumber { readonly name = 'NotANumber'; training = false; parameters() { return []; }
  forward(x: Tensor): Tensor { return new Tensor(x.shape, new Float64Array(x.size).fill(Number.NaN)); }
  backward(g: Tensor): Tensor { return g; } }`;
const slowLayer = `class Slow { readonly name = 'Slow'; training = false; parameters() { return []; }
  forward(x: Tensor): Tensor { const end = Date.now() + 60_000; while (Date.now() < end) { /* far too slow */ } return x; }
  backward(g: Tensor): Tensor { return g; } }`;
const variants = {
  good: () => grade(fixtureModel(), fixtureWeights()),
  missingWeights: () => grade(fixtureModel(), undefined),
  overWeightsCap: () =>
    grade(fixtureModel(), fixtureWeights(), {
      caps: { ...challengeSpecExercise().challenge.caps, weightsBytes: 1000 },
    }),
  overParameterCap: () =>
    grade(fixtureModel(), fixtureWeights(), { caps: { ...challengeSpecExercise().challenge.caps, parameters: 7849 } }),
  overTimeCap: () =>
    grade(
      fixtureModel(
        'new FullyConnected(28 * 28, 10, { rng })',
        `import { Tensor } from '../../framework/tensor/tensor.js';\n${slowLayer}\nexport const slow = new Slow();`,
      ).replace('network.append(new Flatten());', 'network.append(new Flatten());\n  network.append(slow as never);'),
      withLayer(fixtureWeights(), 1, 'Slow'),
      { caps: { ...challengeSpecExercise().challenge.caps, inferenceSeconds: 1 } },
    ),
  doesNotCompile: () => grade(fixtureModel('new FullyConnected(28 * 28, 10, { rng }'), fixtureWeights()),
  throwsWhileLoading: () => grade(throwing, fixtureWeights()),
  wrongShape: () => grade(fixtureModel('new FullyConnected(28 * 28, 3, { rng })'), fixtureWeights(3)),
  wrongWeights: () => grade(fixtureModel(), fixtureWeights(3)),
  notANumber: () =>
    grade(
      fixtureModel(
        'new NotANumber() as never',
        `import { Tensor } from '../../framework/tensor/tensor.js';\n${nanLayer}`,
      ).replace(
        'network.append(new Flatten());',
        'network.append(new Flatten());\n  network.append(new FullyConnected(28 * 28, 10, { rng }));',
      ),
      withLayer(fixtureWeights(), 2, 'NotANumber'),
    ),
  exits: () => grade(fixtureModel('new FullyConnected(28 * 28, 10, { rng })', 'process.exit(3);'), fixtureWeights()),
  invalidJson: () => grade(fixtureModel(), '{ "format": "dlkit-weights", '),
} as const;
const outcomes = new Map<keyof typeof variants, ChallengeOutcome>();

beforeAll(async () => {
  const names = Object.keys(variants) as Array<keyof typeof variants>;
  const results = await Promise.all(names.map((name) => variants[name]()));
  names.forEach((name, i) => {
    outcomes.set(name, results[i]);
  });
}, 120_000);

function outcome(name: keyof typeof variants): ChallengeOutcome {
  return outcomes.get(name) as ChallengeOutcome;
}

describe('the challenge in the sandbox', () => {
  it('scores a working model: accuracy, confusion matrix and per-class metrics computed outside, points linear between thresholds', () => {
    const { report } = outcome('good');
    expect(report.reason).toBe('');
    expect(report.status).toBe('scored');
    expect(report.accuracy).toBe(FIXTURE_ACCURACY);
    // 0.75 lies halfway between 0.5 (10 points) and 1 (20 points).
    expect(report.points).toEqual({ earned: 15, possible: 20 });
    const matrix = report.confusionMatrix as number[][];
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(FIXTURE_IMAGES);
    // Images 3, 7, 11, 15, 19 (classes 3, 7, 1, 5, 9) light the next class's pixel.
    for (const k of [1, 3, 5, 7, 9]) expect(matrix[k][(k + 1) % 10], `class ${k}`).toBe(1);
    expect(matrix[0][0]).toBe(2);
    expect(matrix[3][3]).toBe(1);
    expect(report.classes[3]).toEqual({ name: 'class 3', precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(report.classes[4].precision).toBeCloseTo(2 / 3, 12); // class 4: its two images and image 3
    expect(report.measured.parameters).toBe(7850);
    expect(report.measured.weightsBytes).toBe(Buffer.byteLength(fixtureWeights()));
    // Measured by the orchestrator between the sandbox's start and result frames, in whole milliseconds:
    // the fixture's 20 images can take under one, and both frames can arrive in the same read, so 0 is a
    // valid measurement; what must hold is that there is one, within the cap.
    expect(report.measured.inferenceSeconds, 'the inference time is measured').not.toBeNull();
    expect(report.measured.inferenceSeconds).toBeGreaterThanOrEqual(0);
    expect(report.measured.inferenceSeconds).toBeLessThanOrEqual(report.caps.inferenceSeconds);
  });

  const zeroWith = (name: keyof typeof variants, reason: RegExp) => {
    const { report } = outcome(name);
    expect(report.status, report.reason).toBe('failed');
    expect(report.points.earned).toBe(0);
    expect(report.accuracy).toBeNull();
    expect(report.confusionMatrix).toBeNull();
    expect(report.reason, report.reason).toMatch(reason);
  };

  it('gives 0 and a reason for each broken cap', () => {
    zeroWith('overWeightsCap', /exercises\/challenge\/weights\.json is \d+ bytes, over the cap of 1000 bytes/);
    zeroWith('overParameterCap', /the model has 7850 parameters, over the cap of 7849/);
    zeroWith('overTimeCap', /no scores within the inference cap \(1 s/);
  });

  it('gives 0 and a reason for a model that is missing, does not compile, throws, exits, returns the wrong shape or NaN, or does not fit its weights', () => {
    zeroWith('missingWeights', /the submission has no exercises\/challenge\/weights\.json/);
    zeroWith('invalidJson', /exercises\/challenge\/weights\.json is not valid JSON/);
    zeroWith('doesNotCompile', /the model does not compile: exercises\/challenge\/model\.ts:\d+:\d+/);
    zeroWith('throwsWhileLoading', /the model failed while loading: RangeError: the model file throws while loading/);
    zeroWith('exits', /the process ended before it returned the scores \(exit code 3\)/);
    zeroWith(
      'wrongShape',
      /threw ShapeError: predictScores: predict on a batch of 20 images .* returned \[20, 3\], expected \[20, 10\]/,
    );
    zeroWith('notANumber', /threw NonFiniteError: .*image 0 got score NaN/);
    zeroWith(
      'wrongWeights',
      /threw .*loadWeights: layer 1 \(FullyConnected\): 'weight' is \[784, 3\] in the file but \[784, 10\]/,
    );
  });

  it('carries data/fashion-mnist only into bundles that read it, and then its validation set only', async () => {
    const carried = (code: string): string[] =>
      [...code.matchAll(/"(data\/fashion-mnist\/[^"]*)": "base64:/g)].map((m) => m[1]);
    const solutions = { kind: 'folder', root: path.join(kitRoot, 'solutions') } as const;
    const ex1 = await bundleChecks(kitRoot, [path.join(kitRoot, 'tests/ex1/relu.test.ts')], solutions);
    const ex7 = await bundleChecks(kitRoot, [path.join(kitRoot, 'tests/ex7/challenge-model.test.ts')], solutions);
    if (!ex1.ok || !ex7.ok)
      throw new Error(`the bundles do not compile: ${JSON.stringify([ex1, ex7].filter((b) => !b.ok))}`);
    expect(carried(ex1.code)).toEqual([]);
    expect(carried(ex7.code).sort()).toEqual([
      'data/fashion-mnist/validation-images-idx3-ubyte.gz',
      'data/fashion-mnist/validation-labels-idx1-ubyte.gz',
    ]);
  });

  it('carries the hidden images and the weights into the sandbox, never the labels', async () => {
    const labelsGzip = Buffer.from(hidden.labels).toString('base64');
    const { bundle, carried } = await bundleChallenge(
      kitRoot,
      fixtureFiles(fixtureModel(), fixtureWeights()),
      fixtureWeights(),
      hidden,
    );
    expect(Object.keys(carried).sort()).toEqual([CARRIED_IMAGES, CARRIED_WEIGHTS].sort());
    expect(carried[CARRIED_IMAGES]).toBe(`${BASE64_PREFIX}${Buffer.from(hidden.imagesGzip).toString('base64')}`);
    expect(bundle.ok).toBe(true);
    if (!bundle.ok) return;
    // Booleans, not the bundle itself, in the failure message: the bundle is megabytes.
    expect(bundle.code.includes(labelsGzip), 'the labels are in the bundle').toBe(false);
    expect(/"data\/fashion-mnist\/[^"]*": "base64:/.test(bundle.code), 'data/fashion-mnist is carried').toBe(false);
  });
});
