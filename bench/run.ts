/**
 * The benchmark runner: `npm run bench` runs the default suites, `npm run bench -- core conv` the
 * named ones, `--quick` makes a fast smoke run (its figures are not measurements), `--list` lists
 * the suites. Every result is one JSON line on stdout; progress and diagnostics go to stderr.
 * Suites are the files in bench/suites/; the contract is in bench/lib/suites.ts and bench/README.md.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.js';
import { progress } from './lib/log.js';
import {
  availableSuites,
  loadSuite,
  runSuites,
  selectSuites,
  UnknownSuiteError,
  type Suite,
  type SuiteRecord,
} from './lib/suites.js';

const usage = 'usage: npm run bench -- [--quick] [--list] [suite …]   (no suite: every suite that runs by default)\n';
const suitesFolder = fileURLToPath(new URL('./suites/', import.meta.url));

function emit(record: SuiteRecord): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

function parseCommandLine() {
  return parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine();
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stderr.write(`${usage}suites: ${availableSuites(suitesFolder).join(', ')}\n`);
    return 0;
  }
  if (values.list) {
    for (const name of availableSuites(suitesFolder)) {
      const suite = await loadSuite(suitesFolder, name);
      process.stdout.write(`${name}${suite.runByDefault === false ? ' (runs only when named)' : ''}\n`);
    }
    return 0;
  }
  let suites: Suite[];
  try {
    suites = await selectSuites(suitesFolder, positionals);
  } catch (error) {
    if (!(error instanceof UnknownSuiteError)) throw error;
    process.stderr.write(`bench: ${error.message} (files in bench/suites/)\n`);
    return 2;
  }
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  emit({
    suite: 'run',
    name: 'machine',
    ...describeMachine(),
    command,
    suites: suites.map((s) => s.name),
    quick: values.quick,
  });
  const failures = await runSuites(suites, { quick: values.quick }, emit, progress);
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
