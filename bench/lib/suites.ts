import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The suite contract (bench/README.md): a file <folder>/<name>.ts exporting
 *   default async function* (options: { quick: boolean }): AsyncGenerator<Record<string, unknown>>
 * and optionally `export const runByDefault = false` for suites that run only when named.
 */
export interface SuiteOptions {
  quick: boolean;
}

export type SuiteRecord = Record<string, unknown>;

export interface SuiteModule {
  default: (options: SuiteOptions) => AsyncGenerator<SuiteRecord>;
  runByDefault?: boolean;
}

export interface Suite {
  name: string;
  module: SuiteModule;
}

export class UnknownSuiteError extends Error {
  override readonly name = 'UnknownSuiteError';
}

/** Suite names: the .ts files in `folder` (a new suite needs no change to the runner). */
export function availableSuites(folder: string): string[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

export async function loadSuite(folder: string, name: string): Promise<SuiteModule> {
  const module = (await import(pathToFileURL(path.join(folder, `${name}.ts`)).href)) as Partial<SuiteModule>;
  if (typeof module.default !== 'function') {
    throw new TypeError(
      `bench suite '${name}' (${name}.ts) must export a default async generator function (see bench/README.md)`,
    );
  }
  return module as SuiteModule;
}

/**
 * The suites to run: the `requested` ones in that order, or with none requested every suite
 * whose module does not say `runByDefault = false`. An unknown name is an error that lists the suites.
 */
export async function selectSuites(folder: string, requested: readonly string[]): Promise<Suite[]> {
  const available = availableSuites(folder);
  const unknown = requested.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw new UnknownSuiteError(
      `unknown suite${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}; the suites are: ${available.join(', ')}`,
    );
  }
  const names = requested.length > 0 ? [...new Set(requested)] : available;
  const suites: Suite[] = [];
  for (const name of names) {
    const module = await loadSuite(folder, name);
    if (requested.length > 0 || module.runByDefault !== false) suites.push({ name, module });
  }
  return suites;
}

/**
 * Runs the suites one after another, handing each record to `emit` with the suite's name first.
 * A suite that throws gives one `{ suite, name: 'error', error }` record and the others still run;
 * returns how many failed.
 */
export async function runSuites(
  suites: readonly Suite[],
  options: SuiteOptions,
  emit: (record: SuiteRecord) => void,
  log: (message: string) => void,
): Promise<number> {
  let failures = 0;
  for (const { name, module } of suites) {
    log(`suite ${name}${options.quick ? ' (quick)' : ''}`);
    try {
      for await (const record of module.default(options)) emit({ suite: name, ...record });
    } catch (error) {
      failures++;
      log(`suite ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      emit({ suite: name, name: 'error', error: error instanceof Error ? error.message : String(error) });
    }
  }
  return failures;
}
