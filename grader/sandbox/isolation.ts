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
 * Whatever is missing is a warning printed at the start and written into every report.
 */
export interface Isolation {
  readonly mode: 'bwrap' | 'unshare' | 'none';
  readonly prlimit: boolean;
  readonly warnings: readonly string[];
}

function works(command: string, args: readonly string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
  } catch {
    return false;
  }
}

let probed: Isolation | undefined;

export function probeIsolation(): Isolation {
  if (probed) return probed;
  const warnings: string[] = [];
  let mode: Isolation['mode'] = 'none';
  if (process.platform !== 'linux') {
    warnings.push(`OS sandboxing needs Linux; on ${process.platform} submissions run with Node's permission model only (no network or memory isolation)`);
  } else if (works('bwrap', [...bwrapArguments('/tmp'), '--', '/bin/true'])) {
    mode = 'bwrap';
  } else if (works('unshare', ['-n', '/bin/true'])) {
    mode = 'unshare';
    warnings.push('bubblewrap is not available (apt-get install bubblewrap, or run scripts/setup-grader.sh): the network is cut with unshare -n, but the file system is protected only by Node\'s permission model');
  } else {
    warnings.push('neither bubblewrap nor unshare -n works here: submissions run without a network namespace or a private file system; only Node\'s permission model guards them');
  }
  const prlimit = process.platform === 'linux' && works('prlimit', ['--data=1073741824', '--', '/bin/true']);
  if (!prlimit) warnings.push('prlimit is not available: submissions run without a memory cap');
  probed = { mode, prlimit, warnings };
  return probed;
}

/** bwrap's arguments up to the command: what the sandbox sees of this machine. */
export function bwrapArguments(workDirectory: string, environment: Readonly<Record<string, string>> = {}, tmpBytes = 16 * 1024 * 1024): string[] {
  const args = [
    '--unshare-all', '--die-with-parent', '--new-session', '--clearenv',
    '--setenv', 'PATH', '/usr/bin:/bin', '--setenv', 'HOME', workDirectory,
    '--ro-bind', '/usr', '/usr', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin',
    '--proc', '/proc', '--dev', '/dev',
    '--size', String(tmpBytes), '--tmpfs', '/tmp',
  ];
  const node = realpathSync(process.execPath);
  if (!node.startsWith('/usr/')) args.push('--ro-bind', path.dirname(node), path.dirname(node));
  for (const [name, value] of Object.entries(environment)) args.push('--setenv', name, value);
  args.push('--chdir', workDirectory);
  return args;
}
