/**
 * The grader cannot start as asked: a bad option, an unknown exercise, a component with points and no
 * checks, a reference that fails its own checks. The CLI prints its message on one line and exits 2;
 * nothing has been graded.
 */
export class GraderSetupError extends Error {
  override name = 'GraderSetupError';
}
