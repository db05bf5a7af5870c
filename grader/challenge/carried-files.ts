/**
 * The two files the challenge's bundle carries into the sandbox, by their path next to the bundle
 * (grader/sandbox/runner.ts writes them before any student module loads): the hidden test images and
 * the submission's weights. Nothing else of the hidden set is carried: its labels stay in the orchestrator.
 */
export const CARRIED_IMAGES = 'challenge-input/hidden-images-idx3-ubyte.gz';
export const CARRIED_WEIGHTS = 'challenge-input/weights.json';
