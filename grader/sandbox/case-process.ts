import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bwrapArguments, type Isolation } from './isolation.js';
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
}

export interface CaseProcessEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the orchestrator killed it: which clock ran out, or why the channel was refused. */
  readonly killed?: { readonly reason: 'case-timeout' | 'file-timeout' | 'submission-timeout' | 'channel' | 'stopped-listening'; readonly detail: string };
  /** The last bytes it printed (stdout and stderr), for the instructor's log; never scored. */
  readonly output: string;
}

const OUTPUT_TAIL_BYTES = 8 * 1024;

export function runCaseProcess(options: CaseProcessOptions): { readonly done: Promise<CaseProcessEnd>; readonly stop: () => void } {
  const workDirectory = realpathSync(mkdtempSync(path.join(tmpdir(), 'dlkit-case-')));
  const { command, args } = commandLine(options, workDirectory);
  const child = spawn(command, args, {
    cwd: workDirectory,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env: options.isolation === 'trusted' ? { PATH: process.env.PATH ?? '/usr/bin:/bin', [CONFIG_VARIABLE]: JSON.stringify(options.config) } : cleanEnvironment(options.config, workDirectory),
  });
  let killed: CaseProcessEnd['killed'];
  let output = '';
  const keepTail = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);

  const kill = (reason: NonNullable<CaseProcessEnd['killed']>['reason'], detail: string): void => {
    if (killed) return;
    killed = { reason, detail };
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };

  let caseTimer: NodeJS.Timeout | undefined;
  const armCaseTimer = (): void => {
    clearTimeout(caseTimer);
    caseTimer = setTimeout(() => kill('case-timeout', `no answer within ${options.caseTimeoutMs / 1000} s`), options.caseTimeoutMs);
  };
  armCaseTimer();
  const fileFirst = options.fileDeadline !== undefined && options.fileDeadline < options.deadline;
  const submissionTimer = setTimeout(
    () => (fileFirst ? kill('file-timeout', "the component's tests used up their time limit") : kill('submission-timeout', 'the submission used up its total time limit')),
    Math.max(0, (fileFirst ? (options.fileDeadline as number) : options.deadline) - Date.now()),
  );

  const reader = new FrameReader();
  let received = 0;
  const channel = child.stdio[3] as NodeJS.ReadableStream;
  channel.on('data', (chunk: Buffer) => {
    if (killed) return;
    received += chunk.length;
    if (received > MAX_CHANNEL_BYTES) return kill('channel', `it sent more than ${MAX_CHANNEL_BYTES} bytes`);
    let frames: unknown[];
    try {
      frames = reader.push(chunk);
    } catch (error) {
      return kill('channel', `it sent a malformed frame (${(error as Error).message})`);
    }
    for (const frame of frames) {
      armCaseTimer();
      options.onFrame(frame);
    }
  });
  channel.on('error', () => undefined);
  child.stdin?.on('error', () => undefined); // the process may exit before reading all of its code
  child.stdin?.end(options.code);

  const done = new Promise<CaseProcessEnd>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(caseTimer);
      clearTimeout(submissionTimer);
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

function cleanEnvironment(config: RunnerConfig, workDirectory: string): Record<string, string> {
  return { PATH: '/usr/bin:/bin', HOME: workDirectory, [CONFIG_VARIABLE]: JSON.stringify(config) };
}

/** Node's own flags for a case process: code from stdin, the permission model, no eval. */
function nodeArguments(workDirectory: string, memoryBytes: number, sandboxed: boolean): string[] {
  const heapMegabytes = Math.max(64, Math.floor((memoryBytes / (1024 * 1024)) * 0.75));
  const flags = [`--max-old-space-size=${heapMegabytes}`, '--no-warnings', '--input-type=module'];
  if (!sandboxed) return flags;
  return [
    '--experimental-permission',
    `--allow-fs-read=${workDirectory}`,
    `--allow-fs-write=${workDirectory}`,
    '--disallow-code-generation-from-strings',
    ...flags,
  ];
}

function commandLine(options: CaseProcessOptions, workDirectory: string): { command: string; args: string[] } {
  const node = process.execPath;
  if (options.isolation === 'trusted') return { command: node, args: nodeArguments(workDirectory, options.memoryBytes, false) };
  const isolation = options.isolation;
  let inner: string[];
  if (isolation.mode === 'bwrap') {
    inner = ['bwrap', ...bwrapArguments('/tmp', { [CONFIG_VARIABLE]: JSON.stringify(options.config) }), '--', node, ...nodeArguments('/tmp', options.memoryBytes, true)];
  } else if (isolation.mode === 'unshare') {
    inner = ['unshare', '-n', '--', node, ...nodeArguments(workDirectory, options.memoryBytes, true)];
  } else {
    inner = [node, ...nodeArguments(workDirectory, options.memoryBytes, true)];
  }
  if (isolation.prlimit) inner = ['prlimit', `--data=${options.memoryBytes}`, '--core=0', '--', ...inner];
  return { command: inner[0], args: inner.slice(1) };
}
