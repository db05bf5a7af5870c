import { strongestIsolation, type AvailableIsolation, type Isolation } from './isolation.js';

/**
 * The grader fails closed (DESIGN §7). Without bubblewrap's PID and mount namespaces a submission is
 * guarded by Node's permission model alone, and that was observed not to be enough: a submission under
 * `unshare -n` signalled the host's processes (`process.kill` is not a file-system permission) and wrote
 * 200 MiB to the host's disk. So a batch refuses to run there unless the instructor passes
 * `--allow-weak-isolation`; then every case process is also capped by prlimit (`--fsize`: no file larger
 * than the bubblewrap sandbox's whole /tmp; `--nproc`: no fork bomb) and every report says so.
 */
export const WEAK_FILE_BYTES = 16 * 1024 * 1024;
/**
 * RLIMIT_NPROC counts every process and thread of the user, not just the sandbox's: the cap is set at
 * each spawn to what the user already runs plus this many (a Node process starts about a dozen threads).
 */
export const WEAK_EXTRA_PROCESSES = 64;

export class IsolationRefused extends Error {
  override name = 'IsolationRefused';
}

export function requireIsolation(tools: AvailableIsolation, allowWeakIsolation: boolean): Isolation {
  const strongest = strongestIsolation(tools);
  if (strongest.mode === 'bwrap') return strongest;
  const missing = strongest.warnings.join('; ');
  if (!allowWeakIsolation) {
    throw new IsolationRefused(
      `refusing to grade: this machine cannot give submissions a PID and mount namespace (${missing}). ` +
        'Install bubblewrap and allow unprivileged user namespaces (scripts/setup-grader.sh), or, on a machine where nothing else of value runs ' +
        '(a throwaway VM or container), pass --allow-weak-isolation to grade with file and process caps only.',
    );
  }
  if (!tools.prlimit) {
    throw new IsolationRefused(
      `refusing to grade even with --allow-weak-isolation: prlimit (util-linux) is needed to cap file sizes and processes (${missing})`,
    );
  }
  const rootNote =
    typeof process.getuid === 'function' && process.getuid() === 0
      ? ' (the grader runs as root, which the kernel exempts from the process cap)'
      : '';
  return {
    ...strongest,
    weakCaps: { fileBytes: WEAK_FILE_BYTES, extraProcesses: WEAK_EXTRA_PROCESSES },
    warnings: [
      ...strongest.warnings,
      `weak isolation accepted by the instructor (--allow-weak-isolation): no PID or mount namespace, so a submission could signal the grader's processes or read what Node's permission model lets through; files are capped at ${WEAK_FILE_BYTES / 1048576} MiB and processes at ${WEAK_EXTRA_PROCESSES} more than the grader's user runs${rootNote}`,
    ],
  };
}
