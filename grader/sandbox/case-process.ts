import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bwrapArguments, type Isolation } from './isolation.js';
import { tasksOfUser } from './process-count.js';
import { CONFIG_VARIABLE, FrameReader, MAX_CHANNEL_BYTES, type RunnerConfig } from './protocol.js';

/**
 * Runs one bundle in one process and streams its frames back. The process is the leader of its own
 * process group (spawned detached), so a timeout kills the whole group with SIGKILL, whatever it started.
 * Two clocks: `caseTimeoutMs` restarts at every frame (one case must not run longer), and `deadline`
 * (absolute, ms since the epoch) is the submission's whole budget.
 */
export interface CaseProcessOptions {
  readonly code: string;
  readonly config: RunnerConfig;
  /** 'trusted' runs the reference: plain Node, still with its time limits. */
  readonly isolation: Isolation | 'trusted';
  readonly memoryBytes: number;
  readonly caseTimeoutMs: number;
  readonly deadline: number;
  /** The component's own budget (its "test file"), absolute like `deadline`; the earlier one wins. */
  readonly fileDeadline?: number;
  readonly onFrame: (frame: unknown) => void;
  /**
   * A WebGPU component (Exercise 5): the process may load native addons (`--allow-addons`) and read the
   * `webgpu` package (bind-mounted read-only at /opt/webgpu under bubblewrap); the runner loads Dawn
   * from it before any student module and then turns addon loading off (runner.ts, `refuseAddons`).
   */
  readonly webgpu?: boolean;
}

export interface CaseProcessEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the orchestrator killed it: which clock ran out, or why the channel was refused. */
  readonly killed?: {
    readonly reason: 'case-timeout' | 'file-timeout' | 'submission-timeout' | 'channel' | 'stopped-listening';
    readonly detail: string;
  };
  /** The last bytes it printed (stdout and stderr), for the instructor's log; never scored. */
  readonly output: string;
}

const OUTPUT_TAIL_BYTES = 8 * 1024;

/**
 * Starts the process and returns at once: `done` resolves when it has ended (and its group is killed
 * and its temp dir removed); `stop` kills it. The steps: spawn it in its own group (`spawnCaseProcess`),
 * keep the tail of what it prints, arm the two clocks (`armClocks`), read its frames (`readFrames`),
 * pipe it its code, and clean up when it closes.
 */
export function runCaseProcess(options: CaseProcessOptions): {
  readonly done: Promise<CaseProcessEnd>;
  readonly stop: () => void;
} {
  const workDirectory = realpathSync(mkdtempSync(path.join(tmpdir(), 'dlkit-case-')));
  const child = spawnCaseProcess(options, workDirectory);
  let killed: CaseProcessEnd['killed'];
  let output = '';
  const keepTail = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);

  const kill: Kill = (reason, detail) => {
    if (killed) return;
    killed = { reason, detail };
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const clocks = armClocks(options, kill);
  readFrames(child.stdio[3] as NodeJS.ReadableStream, options, kill, () => killed !== undefined, clocks.frameArrived);
  child.stdin?.on('error', () => undefined); // the process may exit before reading all of its code
  child.stdin?.end(options.code);

  const done = new Promise<CaseProcessEnd>((resolve) => {
    child.on('close', (code, signal) => {
      clocks.clear();
      // The group may still hold a grandchild that kept no pipe open; kill it too.
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(workDirectory, { recursive: true, force: true });
      resolve({ code, signal, killed, output });
    });
  });
  return { done, stop: () => kill('stopped-listening', 'the orchestrator stopped it') };
}

/** Kills the process group once, recording why. */
type Kill = (reason: NonNullable<CaseProcessEnd['killed']>['reason'], detail: string) => void;

/** The process, the leader of its own group (detached), with fd 3 as its frame channel and a clean environment. */
function spawnCaseProcess(options: CaseProcessOptions, workDirectory: string): ChildProcess {
  const { command, args } = commandLine(options, workDirectory);
  const config = runnerConfig(options);
  return spawn(command, args, {
    cwd: workDirectory,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env:
      options.isolation === 'trusted'
        ? {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            ...(options.webgpu ? WEBGPU_ENVIRONMENT : {}),
            [CONFIG_VARIABLE]: JSON.stringify(config),
          }
        : cleanEnvironment(config, workDirectory, options.webgpu === true),
  });
}

/**
 * The two clocks: the case clock (`caseTimeoutMs`), restarted by every frame, and the absolute one, the
 * component's deadline or the submission's, whichever comes first.
 */
function armClocks(options: CaseProcessOptions, kill: Kill): { frameArrived: () => void; clear: () => void } {
  let caseTimer: NodeJS.Timeout | undefined;
  const frameArrived = (): void => {
    clearTimeout(caseTimer);
    caseTimer = setTimeout(
      () => kill('case-timeout', `no answer within ${options.caseTimeoutMs / 1000} s`),
      options.caseTimeoutMs,
    );
  };
  frameArrived();
  const fileFirst = options.fileDeadline !== undefined && options.fileDeadline < options.deadline;
  const deadlineTimer = setTimeout(
    () =>
      fileFirst
        ? kill('file-timeout', "the component's tests used up their time limit")
        : kill('submission-timeout', 'the submission used up its total time limit'),
    Math.max(0, (fileFirst ? (options.fileDeadline as number) : options.deadline) - Date.now()),
  );
  return {
    frameArrived,
    clear: () => {
      clearTimeout(caseTimer);
      clearTimeout(deadlineTimer);
    },
  };
}

/**
 * Hands each frame on the channel to `onFrame`. More than MAX_CHANNEL_BYTES in all, a malformed frame or
 * a frame that `onFrame` cannot handle kills the process as tampering; nothing is read once it is killed.
 */
function readFrames(
  channel: NodeJS.ReadableStream,
  options: CaseProcessOptions,
  kill: Kill,
  isKilled: () => boolean,
  frameArrived: () => void,
): void {
  const reader = new FrameReader();
  let received = 0;
  channel.on('data', (chunk: Buffer) => {
    if (isKilled()) return;
    received += chunk.length;
    if (received > MAX_CHANNEL_BYTES) return kill('channel', `it sent more than ${MAX_CHANNEL_BYTES} bytes`);
    // The frames before a malformed one in the same chunk are handled first (a check's 'start' among
    // them), so the malformed frame is charged to the check that sent it.
    const { frames, malformed } = reader.push(chunk);
    for (const frame of frames) {
      frameArrived();
      // Whatever a frame holds, handling it must not throw into the orchestrator's event loop (that
      // would end the batch): a frame the orchestrator cannot handle ends this process as tampering.
      try {
        options.onFrame(frame);
      } catch (error) {
        return kill(
          'channel',
          `it sent a result the grader could not handle (${String((error as Error)?.message ?? error).slice(0, 200)})`,
        );
      }
    }
    if (malformed) return kill('channel', `it sent a malformed frame (${malformed})`);
  });
  channel.on('error', () => undefined);
}

/**
 * Mesa's software Vulkan driver (lavapipe) in a WebGPU process: no shader cache (the sandbox's HOME is
 * a small private /tmp, and a cache shared between students would carry state from one to the next)
 * and a bounded number of rasteriser threads (their stacks count against `prlimit --data`).
 */
const WEBGPU_ENVIRONMENT: Readonly<Record<string, string>> = { MESA_SHADER_CACHE_DISABLE: 'true', LP_NUM_THREADS: '4' };

/** Where the `webgpu` package's folder appears inside the bubblewrap sandbox. */
const SANDBOX_WEBGPU_DIRECTORY = '/opt/webgpu';

/** The kit's `webgpu` package folder (node_modules/webgpu). */
export function webgpuPackageDirectory(): string {
  return path.dirname(realpathSync(createRequire(import.meta.url).resolve('webgpu')));
}

/** The `webgpu` package folder as the process sees it. */
function webgpuDirectoryFor(options: CaseProcessOptions): string {
  return options.isolation !== 'trusted' && options.isolation.mode === 'bwrap'
    ? SANDBOX_WEBGPU_DIRECTORY
    : webgpuPackageDirectory();
}

function runnerConfig(options: CaseProcessOptions): RunnerConfig {
  return options.webgpu
    ? { ...options.config, webgpuModule: path.join(webgpuDirectoryFor(options), 'index.js') }
    : options.config;
}

function cleanEnvironment(config: RunnerConfig, workDirectory: string, webgpu: boolean): Record<string, string> {
  return {
    PATH: '/usr/bin:/bin',
    HOME: workDirectory,
    ...(webgpu ? WEBGPU_ENVIRONMENT : {}),
    [CONFIG_VARIABLE]: JSON.stringify(config),
  };
}

/** Node's own flags for a case process: code from stdin, the permission model, no eval. */
function nodeArguments(
  workDirectory: string,
  memoryBytes: number,
  sandboxed: boolean,
  webgpuDirectory?: string,
): string[] {
  const heapMegabytes = Math.max(64, Math.floor((memoryBytes / (1024 * 1024)) * 0.75));
  const flags = [`--max-old-space-size=${heapMegabytes}`, '--no-warnings', '--input-type=module'];
  if (!sandboxed) return flags;
  return [
    '--experimental-permission',
    `--allow-fs-read=${workDirectory}`,
    `--allow-fs-write=${workDirectory}`,
    // A WebGPU component only: read the webgpu package and load its addon (the runner then refuses any other).
    ...(webgpuDirectory !== undefined ? [`--allow-fs-read=${webgpuDirectory}`, '--allow-addons'] : []),
    '--disallow-code-generation-from-strings',
    ...flags,
  ];
}

/** The command that runs a case process (exported for the isolation tests). */
export function commandLine(options: CaseProcessOptions, workDirectory: string): { command: string; args: string[] } {
  const node = process.execPath;
  if (options.isolation === 'trusted')
    return { command: node, args: nodeArguments(workDirectory, options.memoryBytes, false) };
  const isolation = options.isolation;
  let inner: string[];
  const webgpuDirectory = options.webgpu ? webgpuDirectoryFor(options) : undefined;
  if (isolation.mode === 'bwrap') {
    const environment = {
      ...(options.webgpu ? WEBGPU_ENVIRONMENT : {}),
      [CONFIG_VARIABLE]: JSON.stringify(runnerConfig(options)),
    };
    const binds: Array<[string, string]> = options.webgpu ? [[webgpuPackageDirectory(), SANDBOX_WEBGPU_DIRECTORY]] : [];
    inner = [
      'bwrap',
      ...bwrapArguments('/tmp', environment, undefined, binds),
      '--',
      node,
      ...nodeArguments('/tmp', options.memoryBytes, true, webgpuDirectory),
    ];
  } else if (isolation.mode === 'unshare') {
    inner = ['unshare', '-n', '--', node, ...nodeArguments(workDirectory, options.memoryBytes, true, webgpuDirectory)];
  } else {
    inner = [node, ...nodeArguments(workDirectory, options.memoryBytes, true, webgpuDirectory)];
  }
  // Weak isolation (no PID or mount namespace, accepted by the instructor): cap files and processes too.
  const weakCaps = isolation.weakCaps
    ? [
        `--fsize=${isolation.weakCaps.fileBytes}`,
        `--nproc=${tasksOfUser(process.getuid?.() ?? 0) + isolation.weakCaps.extraProcesses}`,
      ]
    : [];
  if (isolation.prlimit) inner = ['prlimit', `--data=${options.memoryBytes}`, '--core=0', ...weakCaps, '--', ...inner];
  return { command: inner[0], args: inner.slice(1) };
}
