const MACHINE_SETTINGS = new Set(['DLKIT_REQUIRE_GPU', 'DLKIT_WEBGPU_BACKEND']);
const OUTER_RUN_VARIABLE = /^(VITEST|TEST$|npm_|INIT_CWD$|NODE_OPTIONS$|DLKIT_)/i;

/**
 * The environment for a run that a test or a tool starts (vitest, `npm test`, `npm ci`, a kit CLI):
 * this process's, without what an outer test run set for itself, so the inner run starts as a person
 * would start it in a fresh shell. Left out:
 * * vitest's own variables (`VITEST*`, `TEST`): the inner vitest would take itself for a worker of
 *   the outer run;
 * * npm's script variables (`npm_*`, `INIT_CWD`): the outer `npm test`'s package, arguments and
 *   folder;
 * * `NODE_OPTIONS` (a student has none) and the kit's switches `DLKIT_*` (`DLKIT_IMPL`,
 *   `DLKIT_RESULTS_JSON`, `DLKIT_TRACES`, …), except the machine's settings `DLKIT_REQUIRE_GPU` and
 *   `DLKIT_WEBGPU_BACKEND`.
 * Colours are off, so the output can be matched; `extra` comes last (the inner run's own
 * implementation or results file).
 */
export function cleanEnvironment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([name]) => MACHINE_SETTINGS.has(name) || !OUTER_RUN_VARIABLE.test(name),
  );
  return { ...Object.fromEntries(kept), NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}
