import { build, stop, type BuildOptions, type BuildResult, type SameShape } from 'esbuild';

/**
 * esbuild's JavaScript API sends every build to ONE long-lived service process. A source that overflows
 * the service's parser stack (a submission nested half a million levels deep) kills that process:
 * the build in progress fails with "The service was stopped", so do the builds of other students that
 * were running at the same moment, and every later build fails with "The service is no longer running".
 * One student must not cost the batch its compiler, so:
 *
 * - a build that fails because the service died is retried ALONE (no other build in flight) on a fresh
 *   service: a bystander's retry then succeeds;
 * - a build that kills the fresh service too is that code's fault: it fails with a compile error that
 *   bundle.ts reports for that component only ("the compiler crashed on this code"), and the next build
 *   starts yet another fresh service.
 */
export const COMPILER_CRASH_MESSAGE =
  'the compiler crashed on this code (is something nested thousands of levels deep?)';

/** Shaped like esbuild's own BuildFailure, so callers treat it as the code's compile error. */
export class CompilerCrashError extends Error {
  readonly errors = [{ text: COMPILER_CRASH_MESSAGE, location: null }];
  constructor() {
    super(COMPILER_CRASH_MESSAGE);
  }
}

/** esbuild's messages when its service process ended under a build (its own or a concurrent one). */
export function serviceDied(error: unknown): boolean {
  return (
    error instanceof Error &&
    /The service (was stopped|is no longer running)/.test(error.message) &&
    !(
      'errors' in error &&
      Array.isArray((error as { errors?: unknown }).errors) &&
      (error as { errors: unknown[] }).errors.length > 0
    )
  );
}

/** Many builds share the service, or one has it alone (a retry after a crash). */
class SharedOrAlone {
  #shared = 0;
  #alone = false;
  #waitingAlone = 0;
  #wakers: Array<() => void> = [];

  async shared(): Promise<void> {
    while (this.#alone || this.#waitingAlone > 0) await this.#wait();
    this.#shared++;
  }

  releaseShared(): void {
    this.#shared--;
    this.#wake();
  }

  async alone(): Promise<void> {
    this.#waitingAlone++;
    while (this.#alone || this.#shared > 0) await this.#wait();
    this.#waitingAlone--;
    this.#alone = true;
  }

  releaseAlone(): void {
    this.#alone = false;
    this.#wake();
  }

  #wait(): Promise<void> {
    return new Promise((resolve) => this.#wakers.push(resolve));
  }

  #wake(): void {
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }
}

const lock = new SharedOrAlone();

/** esbuild's `build`, surviving a crash of its service (see above). */
export async function buildSurvivingCrashes<Options extends BuildOptions>(
  options: SameShape<BuildOptions, Options>,
): Promise<BuildResult<Options>> {
  await lock.shared();
  try {
    return await build(options);
  } catch (error) {
    if (!serviceDied(error)) throw error;
  } finally {
    lock.releaseShared();
  }
  await lock.alone();
  try {
    await stop(); // forget the dead service: the next build starts a fresh one
    try {
      return await build(options);
    } catch (error) {
      if (!serviceDied(error)) throw error;
      await stop();
      throw new CompilerCrashError();
    }
  } finally {
    lock.releaseAlone();
  }
}
