/**
 * The course manifest: the one place that says which exercises exist, in what order, which files and
 * components each owns, where its tests and handout are, and how many points each component is worth.
 * The stub tool, the scoreboard, the grader and the handouts all read it.
 */
export interface ComponentSpec {
  /** The name tests use after the exercise id: `describe('ex1 FullyConnected', …)`. */
  readonly name: string;
  /** Files under solutions/ (and exercises/) that hold this component, relative to that folder. */
  readonly files: readonly string[];
  /** Handout section: `docs/exercises/1-feed-forward.md#fully-connected`. */
  readonly handout: string;
  /** Points for the public tests of this component; hidden tests carry their own in the grader. */
  readonly points: number;
}

export interface ExerciseSpec {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly handout: string;
  readonly components: readonly ComponentSpec[];
  /** Folder of public tests, relative to the repository root. */
  readonly publicTests: string;
  /** Folder of hidden tests (never handed out), relative to the repository root. */
  readonly hiddenTests: string;
  /** Due date and time (ISO 8601, with its time zone); the grader's late policy reads it. None: never late. */
  readonly due?: string;
}

/** How lateness costs points (grader/scoring/late-policy.ts applies it). */
export interface LatePolicySpec {
  /** Percent of the exercise's points deducted per started day late. */
  readonly percentPerDay: number;
  /** The most that lateness can deduct, in percent. */
  readonly maxPercent: number;
  /** Minutes after the due time that still count as on time. */
  readonly graceMinutes: number;
}

export interface CourseSpec {
  readonly name: string;
  readonly exercises: readonly ExerciseSpec[];
  /** Applied to exercises that have a `due` date; without one, lateness is reported but costs nothing. */
  readonly latePolicy?: LatePolicySpec;
}

const handout1 = 'docs/exercises/1-feed-forward.md';

export const course: CourseSpec = {
  name: 'dlkit: deep learning from scratch',
  latePolicy: { percentPerDay: 10, maxPercent: 100, graceMinutes: 15 },
  exercises: [
    {
      id: 'ex1',
      number: 1,
      title: 'Feed-forward networks',
      handout: handout1,
      publicTests: 'tests/ex1',
      hiddenTests: 'grader/hidden/ex1',
      components: [
        { name: 'FullyConnected', files: ['layers/fully-connected.ts'], handout: `${handout1}#fullyconnected`, points: 20 },
        { name: 'ReLU', files: ['activations/relu.ts'], handout: `${handout1}#relu`, points: 10 },
        { name: 'SoftMax', files: ['activations/softmax.ts'], handout: `${handout1}#softmax`, points: 15 },
        { name: 'CrossEntropyLoss', files: ['losses/cross-entropy-loss.ts'], handout: `${handout1}#crossentropyloss`, points: 10 },
        { name: 'SoftmaxCrossEntropyLoss', files: ['losses/softmax-cross-entropy-loss.ts'], handout: `${handout1}#softmaxcrossentropyloss`, points: 10 },
        { name: 'Sgd', files: ['optimizers/sgd.ts'], handout: `${handout1}#sgd`, points: 10 },
        { name: 'NeuralNetwork', files: ['network/neural-network.ts'], handout: `${handout1}#neuralnetwork`, points: 25 },
      ],
    },
  ],
};

/** The exercise with this id, or an error listing the ids that exist. */
export function exerciseById(id: string): ExerciseSpec {
  const exercise = course.exercises.find((e) => e.id === id);
  if (!exercise) throw new Error(`Unknown exercise '${id}': the course has ${course.exercises.map((e) => e.id).join(', ')}`);
  return exercise;
}

/** The exercise and component that own a file under solutions/ (or exercises/), if any. */
export function ownerOf(file: string): { exercise: ExerciseSpec; component: ComponentSpec } | undefined {
  for (const exercise of course.exercises) {
    for (const component of exercise.components) if (component.files.includes(file)) return { exercise, component };
  }
  return undefined;
}
