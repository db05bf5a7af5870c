/**
 * WebGPU reports invalid calls asynchronously, through error scopes. Kernels are synchronous (a layer
 * calls them like the CPU ones), so each dispatch pushes a scope, and the promise of its result is
 * watched here. The first error is thrown by the next read-back (`await tensor.to('cpu')`) or by
 * `await throwPendingGpuErrors()`, whichever comes first.
 */
const inFlight = new Set<Promise<void>>();
let firstError: Error | undefined;

/** Watches an error-scope result; `explain` turns a GPUError into the error to throw. */
export function watchErrorScope(
  result: Promise<GPUError | null>,
  explain: (error: GPUError) => Error | Promise<Error>,
): void {
  const watched: Promise<void> = result
    .then(async (error) => {
      if (error && !firstError) firstError = await explain(error);
    })
    .catch((error: unknown) => {
      firstError ??= error instanceof Error ? error : new Error(String(error));
    })
    .finally(() => inFlight.delete(watched));
  inFlight.add(watched);
}

/** Waits for every watched scope and throws the first error they reported (then forgets it). */
export async function throwPendingGpuErrors(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  const error = firstError;
  firstError = undefined;
  if (error) throw error;
}
