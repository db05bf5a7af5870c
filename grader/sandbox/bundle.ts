import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * Builds the one JavaScript file a case process runs: the runner, the case files of one component, the
 * framework and the implementation under test, bundled by esbuild. Bundling only reads and transpiles
 * (it never executes the student's code), so it is safe in the orchestrator. The bundle is piped into
 * the sandbox on stdin: no source file, hidden case or reference output is on any path the sandbox sees.
 *
 * The implementation comes either from a folder on disk (solutions/, for the trusted reference run) or
 * from the submission's files held in memory (never written out, so a zip entry named `../x` has no
 * place to land). A submission's file may import only framework/ files and the submission's other
 * exercise files (by relative path) and Node built-ins (which the sandbox's permissions then refuse or
 * allow); anything else, e.g. `solutions/`, `grader/` or `vitest`, is a compile error naming the import.
 */

export type Implementation =
  | { readonly kind: 'folder'; readonly root: string }
  /** `files` maps a path under exercises/ ('layers/fully-connected.ts') to its source. */
  | { readonly kind: 'memory'; readonly files: ReadonlyMap<string, string> };

export interface CompileError {
  /** Path as the student knows it: `exercises/layers/fully-connected.ts`, or empty. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type BundleResult = { readonly ok: true; readonly code: string } | { readonly ok: false; readonly errors: readonly CompileError[] };

const SUBMISSION = 'submission';
const builtins = new Set(builtinModules);

/** Bundles `caseFiles` (absolute paths) with the runner against `implementation`. */
export async function bundleCases(kitRoot: string, caseFiles: readonly string[], implementation: Implementation): Promise<BundleResult> {
  const runner = path.join(kitRoot, 'grader/sandbox/runner.ts');
  const imports = caseFiles.map((file) => `import(${JSON.stringify(file)})`).join(', ');
  const entry = `import { runCaseFiles } from ${JSON.stringify(runner)};\nawait runCaseFiles(() => Promise.all([${imports}]));\n`;
  try {
    const result = await build({
      stdin: { contents: entry, resolveDir: kitRoot, loader: 'ts', sourcefile: 'grader-entry.ts' },
      absWorkingDir: kitRoot,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      legalComments: 'none',
      plugins: [implementationPlugin(kitRoot, implementation)],
    });
    return { ok: true, code: result.outputFiles[0].text };
  } catch (error) {
    const errors = (error as { errors?: EsbuildMessage[] }).errors;
    if (!errors) throw error;
    return { ok: false, errors: errors.map((message) => toCompileError(message, kitRoot)) };
  }
}

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number; namespace?: string } | null;
}

function toCompileError(message: EsbuildMessage, kitRoot: string): CompileError {
  const location = message.location;
  let file = location?.file ?? '';
  if (file.startsWith(`${SUBMISSION}:`)) file = `exercises/${file.slice(SUBMISSION.length + 1)}`;
  else if (file.startsWith(kitRoot)) file = path.relative(kitRoot, file);
  return { file, line: location?.line ?? 0, column: location?.column ?? 0, message: message.text.split(kitRoot).join('') };
}

/** `#impl/…` → the implementation; a submission's own imports checked and resolved in memory. */
function implementationPlugin(kitRoot: string, implementation: Implementation): Plugin {
  const framework = path.join(kitRoot, 'framework');
  return {
    name: 'dlkit-implementation',
    setup(bundler) {
      bundler.onResolve({ filter: /^#impl\// }, (args) => {
        const relative = args.path.slice('#impl/'.length);
        if (implementation.kind === 'folder') return { path: onDisk(path.join(implementation.root, relative)) };
        const found = inMemory(implementation.files, relative);
        if (!found) return { errors: [{ text: `the submission has no exercises/${tsName(relative)}` }] };
        return { path: found, namespace: SUBMISSION };
      });

      // Imports written inside a submission's file.
      bundler.onResolve({ filter: /.*/, namespace: SUBMISSION }, (args) => {
        const specifier = args.path;
        if (specifier.startsWith('node:') || builtins.has(specifier)) return { path: specifier, external: true };
        if (!specifier.startsWith('.')) {
          return { errors: [{ text: `'${specifier}' cannot be imported by a submission: import only the kit's framework/ files and your own exercise files by relative path` }] };
        }
        // Resolve as if the file sat at exercises/<its path> in the kit.
        const target = path.posix.normalize(path.posix.join('exercises', path.posix.dirname(args.importer), specifier));
        if (target.startsWith('framework/')) return { path: onDisk(path.join(framework, target.slice('framework/'.length))) };
        if (target.startsWith('exercises/')) {
          const found = inMemory(implementation.kind === 'memory' ? implementation.files : new Map(), target.slice('exercises/'.length));
          if (found) return { path: found, namespace: SUBMISSION };
          return { errors: [{ text: `'${specifier}' is not among the submission's files (${target})` }] };
        }
        return { errors: [{ text: `'${specifier}' points outside framework/ and exercises/ (${target}); a submission may not import it` }] };
      });

      bundler.onLoad({ filter: /.*/, namespace: SUBMISSION }, (args) => {
        const source = implementation.kind === 'memory' ? implementation.files.get(args.path) : undefined;
        return { contents: source ?? '', loader: 'ts' };
      });
    },
  };
}

/** TypeScript sources are imported with a `.js` suffix (ESM style); find the `.ts` file. */
function onDisk(file: string): string {
  if (existsSync(file)) return file;
  const typescript = tsName(file);
  return existsSync(typescript) ? typescript : file;
}

function inMemory(files: ReadonlyMap<string, string>, relative: string): string | undefined {
  if (files.has(relative)) return relative;
  const typescript = tsName(relative);
  return files.has(typescript) ? typescript : undefined;
}

function tsName(file: string): string {
  return file.endsWith('.js') ? `${file.slice(0, -3)}.ts` : file;
}
