import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Which OS isolation this machine offers, probed once per run. The preferred layer is bubblewrap
 * (Debian package `bubblewrap`): new mount, PID, network and IPC namespaces, a root file system with
 * only /usr read-only and an empty private /tmp, a clean environment, killed with its parent. Without
 * it, `unshare -n` (util-linux) still takes the network away. In every mode the case process also runs
 * under Node's permission model (no file reads outside its temp dir, no child processes, no workers)
 * and `prlimit --data` (which caps typed arrays and WebAssembly memory too, unlike V8's heap flags).
 * Anything weaker than bubblewrap is refused unless the instructor accepts it (weak-isolation.ts); what
 * is missing is then a warning printed at the start and written into every report.
 */
export interface Isolation {
  readonly mode: 'bwrap' | 'unshare' | 'none';
  readonly prlimit: boolean;
  readonly warnings: readonly string[];
  /**
   * Set only when the instructor accepted weaker isolation (`--allow-weak-isolation`): without PID and
   * mount namespaces a submission can reach the host's processes and disk, so each case process also
   * gets `prlimit --fsize` and `--nproc` (weak-isolation.ts).
   */
  readonly weakCaps?: { readonly fileBytes: number; readonly extraProcesses: number };
}

function works(command: string, args: readonly string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
  } catch {
    return false;
  }
}

/** Which isolation tools work on this machine. */
export interface AvailableIsolation {
  readonly platform: NodeJS.Platform;
  readonly bwrap: boolean;
  readonly unshare: boolean;
  readonly prlimit: boolean;
}

let available: AvailableIsolation | undefined;

export function availableIsolation(): AvailableIsolation {
  if (available) return available;
  const linux = process.platform === 'linux';
  available = {
    platform: process.platform,
    bwrap: linux && works('bwrap', [...bwrapArguments('/tmp'), '--', '/bin/true']),
    unshare: linux && works('unshare', ['-n', '/bin/true']),
    prlimit: linux && works('prlimit', ['--data=1073741824', '--', '/bin/true']),
  };
  return available;
}

/**
 * The strongest isolation the tools allow, and what is missing, as warnings. Whether a batch may use
 * anything weaker than bubblewrap is decided by `requireIsolation` (weak-isolation.ts).
 */
export function strongestIsolation(tools: AvailableIsolation): Isolation {
  const warnings: string[] = [];
  let mode: Isolation['mode'] = 'none';
  if (tools.platform !== 'linux') {
    warnings.push(
      `OS sandboxing needs Linux; on ${tools.platform} submissions run with Node's permission model only (no network or memory isolation)`,
    );
  } else if (tools.bwrap) {
    mode = 'bwrap';
  } else if (tools.unshare) {
    mode = 'unshare';
    warnings.push(
      "bubblewrap is not available (apt-get install bubblewrap, or run scripts/setup-grader.sh): the network is cut with unshare -n, but the file system is protected only by Node's permission model",
    );
  } else {
    warnings.push(
      "neither bubblewrap nor unshare -n works here: submissions run without a network namespace or a private file system; only Node's permission model guards them",
    );
  }
  if (!tools.prlimit) warnings.push('prlimit is not available: submissions run without a memory cap');
  return { mode, prlimit: tools.prlimit, warnings };
}

/** What this machine offers (probed once per run); see `requireIsolation` for the batch's decision. */
export function probeIsolation(): Isolation {
  return strongestIsolation(availableIsolation());
}

/** bwrap's arguments up to the command: what the sandbox sees of this machine. */
export function bwrapArguments(
  workDirectory: string,
  environment: Readonly<Record<string, string>> = {},
  tmpBytes = 16 * 1024 * 1024,
  /** Extra read-only binds, [host path, path inside]: the `webgpu` package of a WebGPU component. */
  readOnlyBinds: ReadonlyArray<readonly [string, string]> = [],
): string[] {
  const args = [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    '--setenv',
    'PATH',
    '/usr/bin:/bin',
    '--setenv',
    'HOME',
    workDirectory,
    '--ro-bind',
    '/usr',
    '/usr',
    '--symlink',
    'usr/lib',
    '/lib',
    '--symlink',
    'usr/lib64',
    '/lib64',
    '--symlink',
    'usr/bin',
    '/bin',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(tmpBytes),
    '--tmpfs',
    '/tmp',
  ];
  const node = realpathSync(process.execPath);
  if (!node.startsWith('/usr/')) args.push('--ro-bind', path.dirname(node), path.dirname(node));
  for (const [source, target] of readOnlyBinds) args.push('--ro-bind', source, target);
  for (const [name, value] of Object.entries(environment)) args.push('--setenv', name, value);
  args.push('--chdir', workDirectory);
  return args;
}
