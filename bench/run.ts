/**
 * The benchmark runner: `npm run bench` runs the default suites, `npm run bench -- conv core` the
 * named ones, `--quick` makes a fast smoke run (the figures are then not measurements), `--list`
 * lists the suites. Every result is one JSON line on stdout; progress goes to stderr.
 *
 * A suite is a file bench/suites/<name>.ts exporting
 *   default async function* (options: { quick: boolean }): AsyncGenerator<Record<string, unknown>>
 * and optionally `export const runByDefault = false` (e.g. 'gpu', 'grader': run only when named).
 * See bench/README.md.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.js';
import { progress } from './lib/log.js';

export interface SuiteOptions {
  quick: boolean;
}

export interface SuiteModule {
  default: (options: SuiteOptions) => AsyncGenerator<Record<string, unknown>>;
  runByDefault?: boolean;
}

const suitesFolder = fileURLToPath(new URL('./suites/', import.meta.url));

/** Suite names, from the files in bench/suites/ (a new suite needs no change here). */
function availableSuites(): string[] {
  return readdirSync(suitesFolder)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

async function loadSuite(name: string): Promise<SuiteModule> {
  const module = (await import(pathToFileURL(path.join(suitesFolder, `${name}.ts`)).href)) as Partial<SuiteModule>;
  if (typeof module.default !== 'function') throw new Error(`bench/suites/${name}.ts must export a default async generator function (see bench/README.md)`);
  return module as SuiteModule;
}

function emit(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const available = availableSuites();
  if (values.help) {
    process.stderr.write(`usage: npm run bench -- [--quick] [--list] [suite …]\nsuites: ${available.join(', ')}\n`);
    return 0;
  }
  if (values.list) {
    for (const name of available) {
      const suite = await loadSuite(name);
      process.stdout.write(`${name}${suite.runByDefault === false ? ' (only when named)' : ''}\n`);
    }
    return 0;
  }
  const unknown = positionals.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown suite${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}; the suites are: ${available.join(', ')} (files in bench/suites/)\n`);
    return 2;
  }
  const names = positionals.length > 0 ? [...new Set(positionals)] : available;
  const suites: [string, SuiteModule][] = [];
  for (const name of names) {
    const suite = await loadSuite(name);
    if (positionals.length > 0 || suite.runByDefault !== false) suites.push([name, suite]);
  }
  emit({ suite: 'run', name: 'machine', ...describeMachine(), command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '), suites: suites.map(([name]) => name), quick: values.quick });
  let failures = 0;
  for (const [name, suite] of suites) {
    progress(`suite ${name}${values.quick ? ' (quick)' : ''}`);
    try {
      for await (const record of suite.default({ quick: values.quick })) emit({ suite: name, ...record });
    } catch (error) {
      failures++;
      progress(`suite ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      emit({ suite: name, name: 'error', error: error instanceof Error ? error.message : String(error) });
    }
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
