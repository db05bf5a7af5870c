import os from 'node:os';
import { readFileSync } from 'node:fs';

/** What a figure was measured on: enough to tell two runs' machines apart in docs/performance.md. */
export interface MachineDescription {
  cpu_model: string;
  nproc: number;
  node: string;
  platform: string;
  date: string;
  /** 1-minute load average when the run started: above nproc, other processes compete for the cores. */
  load_average_1min: number;
}

export function describeMachine(): MachineDescription {
  return {
    cpu_model: cpuModel(),
    nproc: os.availableParallelism(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
    load_average_1min: Number(os.loadavg()[0].toFixed(2)),
  };
}

/** The "model name" line of /proc/cpuinfo on Linux, else what Node reports. */
function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: fall through to Node's view.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}
