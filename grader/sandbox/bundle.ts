import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { buildSurvivingCrashes } from './esbuild-service.js';
import { BASE64_PREFIX } from './protocol.js';
import { tooDeeplyNested } from './source-depth.js';

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

export type BundleResult =
  | {
      readonly ok: true;
      readonly code: string;
      /** The bundle reaches framework/webgpu (a WebGPU component: it must run with `webgpu` on). */
      readonly usesWebGpu: boolean;
    }
  | { readonly ok: false; readonly errors: readonly CompileError[] };

export interface BundleOptions {
  /**
   * A WebGPU component (Exercise 5): carry the `.wgsl` files of the framework and of the
   * implementation inside the bundle (the runner writes them next to it, where each module's
   * `new URL('./x.wgsl', import.meta.url)` points), and let `import('webgpu')` reach the addon
   * that the runner loads first (docs/grader.md, "WebGPU components").
   */
  readonly webgpu?: boolean;
  /**
   * More files to carry, by the path below the bundle's folder (content as text, or base64 after
   * BASE64_PREFIX): the challenge's hidden images and the submission's weights (grader/challenge/).
   */
  readonly carry?: Readonly<Record<string, string>>;
  /**
   * Carry the data sets in data/'s subfolders that the bundle's modules read (`DATA_FOLDER_READERS`);
   * default true. The challenge's own bundle says false: it reads the hidden images only.
   */
  readonly dataFolders?: boolean;
}

const SUBMISSION = 'submission';
const builtins = new Set(builtinModules);

/** esbuild's options for one ES module for Node 20 built from `entry` (TypeScript) in memory. */
function oneModule(kitRoot: string, entry: string, name: string) {
  return {
    stdin: { contents: entry, resolveDir: kitRoot, loader: 'ts', sourcefile: name },
    absWorkingDir: kitRoot,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    legalComments: 'none',
  } as const;
}

/** Bundles `checkFiles` (absolute paths: test files and hidden check files) with the runner against `implementation`. */
export async function bundleChecks(
  kitRoot: string,
  checkFiles: readonly string[],
  implementation: Implementation,
  options: BundleOptions = {},
): Promise<BundleResult> {
  const runner = path.join(kitRoot, 'grader/sandbox/runner.ts');
  const imports = checkFiles.map((file) => `import(${JSON.stringify(file)})`).join(', ');
  const files = {
    ...dataFiles(kitRoot),
    ...(options.webgpu ? wgslFiles(kitRoot, implementation) : {}),
    ...(options.carry ?? {}),
  };
  const build = (carried: Record<string, string>) =>
    buildSurvivingCrashes({
      ...oneModule(
        kitRoot,
        `import { runChecks } from ${JSON.stringify(runner)};\nawait runChecks(() => Promise.all([${imports}]), ${JSON.stringify(carried)});\n`,
        'grader-entry.ts',
      ),
      metafile: true,
      plugins: [checkFilePlugin(kitRoot, 'sandbox'), implementationPlugin(kitRoot, implementation)],
    });
  try {
    let result = await build(files);
    // A data set in a subfolder of data/ (Fashion-MNIST: several MB) travels only with a bundle whose
    // modules read it: built again with its files (only Exercise 7's public checks pay for it).
    const folders =
      options.dataFolders === false
        ? []
        : dataFoldersRead(Object.keys(result.metafile.inputs), result.outputFiles[0].text);
    if (folders.length > 0) result = await build({ ...files, ...dataFolderFiles(kitRoot, folders) });
    const usesWebGpu = Object.keys(result.metafile.inputs).some((input) =>
      input.split(path.sep).join('/').endsWith('framework/webgpu/context.ts'),
    );
    return { ok: true, code: result.outputFiles[0].text, usesWebGpu };
  } catch (error) {
    const errors = (error as { errors?: EsbuildMessage[] }).errors;
    if (!errors) throw error;
    return { ok: false, errors: errors.map((message) => toCompileError(message, kitRoot)) };
  }
}

/**
 * The check files with solutions/ behind `#impl`, as one ES module for the orchestrator to import:
 * where each check's `verify` comes from (and the checks' titles, weights and kinds). Trusted code
 * only; the student's never comes near it. `vitest` stays external (its real `expect` is what verify
 * uses), so the module must be written inside the kit, where node_modules resolves.
 */
export async function bundleChecksForOrchestrator(kitRoot: string, checkFiles: readonly string[]): Promise<string> {
  const exports = [
    ...checkFiles.map((file, index) => `export { default as file${index} } from ${JSON.stringify(file)};`),
    // The bundle's own Rng: a check's run, called here (benchmarks), needs tensors of the bundle's Tensor class.
    `export { Rng } from ${JSON.stringify(path.join(kitRoot, 'framework/random/rng.ts'))};`,
  ].join('\n');
  const result = await build({
    ...oneModule(kitRoot, exports, 'grader-checks.ts'),
    external: ['webgpu'],
    plugins: [
      checkFilePlugin(kitRoot, 'orchestrator'),
      realModuleUrls(),
      implementationPlugin(kitRoot, { kind: 'folder', root: path.join(kitRoot, 'solutions') }),
    ],
  });
  return result.outputFiles[0].text;
}

/**
 * In the orchestrator's bundle every module keeps its own file's URL as `import.meta.url`, so a kernel
 * module reads its `.wgsl` file where it lies in the kit (the bundle itself sits in node_modules/.cache).
 */
function realModuleUrls(): Plugin {
  return {
    name: 'dlkit-real-module-urls',
    setup(bundler) {
      bundler.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        return {
          contents: source.split('import.meta.url').join(JSON.stringify(pathToFileURL(args.path).href)),
          loader: 'ts',
        };
      });
    },
  };
}

/**
 * How a test file's links to vitest are cut in the grader's bundles: the harness's registration is
 * replaced by one that registers nothing, and `vitest` itself by a stand-in (in the sandbox, one that
 * refuses; in the orchestrator, vitest's real `expect`).
 */
function checkFilePlugin(kitRoot: string, where: 'sandbox' | 'orchestrator'): Plugin {
  const registration = path.join(kitRoot, 'tests/harness/register.ts');
  const stand =
    where === 'sandbox'
      ? path.join(kitRoot, 'grader/sandbox/vitest-in-sandbox.ts')
      : path.join(kitRoot, 'grader/checks/vitest-in-orchestrator.ts');
  return {
    name: 'dlkit-check-files',
    setup(bundler) {
      bundler.onResolve({ filter: /^\.\/register\.js$/, namespace: 'file' }, (args) =>
        path.join(args.resolveDir, 'register.ts') === registration
          ? { path: path.join(kitRoot, 'grader/sandbox/no-registration.ts') }
          : undefined,
      );
      // Only the kit's files (namespace 'file'): a submission that imports vitest gets the usual refusal.
      bundler.onResolve({ filter: /^vitest$/, namespace: 'file' }, (args) =>
        args.importer === stand ? { path: 'vitest', external: true } : { path: stand },
      );
    },
  };
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
  return {
    file,
    line: location?.line ?? 0,
    column: location?.column ?? 0,
    message: message.text.split(kitRoot).join(''),
  };
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
          return {
            errors: [
              {
                text: `'${specifier}' cannot be imported by a submission: import only the kit's framework/ files and your own exercise files by relative path`,
              },
            ],
          };
        }
        // Resolve as if the file sat at exercises/<its path> in the kit.
        const target = path.posix.normalize(path.posix.join('exercises', path.posix.dirname(args.importer), specifier));
        if (target.startsWith('framework/'))
          return { path: onDisk(path.join(framework, target.slice('framework/'.length))) };
        if (target.startsWith('exercises/')) {
          const found = inMemory(
            implementation.kind === 'memory' ? implementation.files : new Map(),
            target.slice('exercises/'.length),
          );
          if (found) return { path: found, namespace: SUBMISSION };
          return { errors: [{ text: `'${specifier}' is not among the submission's files (${target})` }] };
        }
        return {
          errors: [
            {
              text: `'${specifier}' points outside framework/ and exercises/ (${target}); a submission may not import it`,
            },
          ],
        };
      });

      bundler.onLoad({ filter: /.*/, namespace: SUBMISSION }, (args) => {
        const source = implementation.kind === 'memory' ? implementation.files.get(args.path) : undefined;
        // Refused before esbuild parses it: such nesting overflows the compiler's stack (source-depth.ts).
        const deep = tooDeeplyNested(source ?? '');
        if (deep)
          return {
            errors: [
              {
                text: deep.message,
                location: { file: args.path, namespace: SUBMISSION, line: deep.line, column: deep.column },
              },
            ],
          };
        // A submission's JSON file (the challenge's weights, `import weights from '#impl/challenge/weights.json'`) is data.
        if (args.path.endsWith('.json')) return { contents: source ?? '', loader: 'json' };
        return { contents: withModuleUrl(source ?? '', `${IMPLEMENTATION_PREFIX}/${args.path}`), loader: 'ts' };
      });

      // framework/webgpu/context.ts loads the native addon with `import('webgpu')`: a bundle cannot
      // hold it, so the runner loads it first and this module hands it over (webgpu-module.ts).
      bundler.onResolve({ filter: /^webgpu$/ }, () => ({
        path: path.join(kitRoot, 'grader/sandbox/webgpu-module.ts'),
      }));

      // Kit and folder files that read a file next to themselves (the kernels' .wgsl) by import.meta.url.
      bundler.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const relative = path.relative(kitRoot, args.path).split(path.sep).join('/');
        const inImplementation =
          implementation.kind === 'folder' && !path.relative(implementation.root, args.path).startsWith('..');
        if (inImplementation)
          return {
            contents: withModuleUrl(
              source,
              `${IMPLEMENTATION_PREFIX}/${path.relative(implementation.root, args.path).split(path.sep).join('/')}`,
            ),
            loader: 'ts',
          };
        return relative.startsWith('framework/')
          ? { contents: withModuleUrl(source, relative), loader: 'ts' }
          : undefined;
      });
    },
  };
}

/** Where the implementation's files sit next to the bundle: the kit path a student knows them by. */
const IMPLEMENTATION_PREFIX = 'exercises';

/**
 * All modules of a bundle share one `import.meta.url` (the bundle's). A module that reads a file next to
 * itself (`new URL('./relu.wgsl', import.meta.url)`) gets the URL its own file would have, `virtualPath`
 * below the bundle's folder, where the runner writes the `.wgsl` files it carries.
 */
function withModuleUrl(source: string, virtualPath: string): string {
  if (!source.includes('import.meta.url')) return source;
  return source.split('import.meta.url').join(`new URL(${JSON.stringify(`./${virtualPath}`)}, import.meta.url).href`);
}

/**
 * The kit's small data sets (the files directly in data/: Iris, Digits, the character corpus; not its
 * subfolders, see DATA_FOLDER_READERS), carried by every bundle as base64 and
 * written by the runner at `data/` next to it, where framework/data/files.ts looks (its module URL
 * puts the data folder there), so a check that trains on Iris runs in the sandbox as it does in
 * `npm test`. They are public files of the handout, some 60 KB.
 */
function dataFiles(kitRoot: string): Record<string, string> {
  const folder = path.join(kitRoot, 'data');
  const files: Record<string, string> = {};
  for (const name of readdirSync(folder).sort()) {
    if (name === 'README.md' || !statSync(path.join(folder, name)).isFile()) continue;
    files[`data/${name}`] = `${BASE64_PREFIX}${readFileSync(path.join(folder, name)).toString('base64')}`;
  }
  return files;
}

/**
 * The data sets in subfolders of data/, the function that reads each (and its module) and the files a
 * check may use: a bundle carries them only when that function survives tree-shaking into the bundle
 * (every bundle that imports framework/index.ts lists the module among its inputs, used or not).
 * Fashion-MNIST's validation set (Exercise 7's public check, ≈ 900 KB) travels with Exercise 7's
 * bundles only; its training set (4.5 MB) never does: no check trains on it in the sandbox.
 */
export const DATA_FOLDER_READERS: ReadonlyArray<{
  readonly folder: string;
  readonly module: string;
  readonly reader: string;
  readonly files: RegExp;
}> = [
  {
    folder: 'fashion-mnist',
    module: 'framework/data/fashion-mnist.ts',
    reader: 'loadFashionMnist',
    files: /^validation-/,
  },
];

function dataFoldersRead(inputs: readonly string[], code: string): Array<(typeof DATA_FOLDER_READERS)[number]> {
  const read = new Set(inputs.map((input) => input.split(path.sep).join('/')));
  // esbuild keeps a function's name, adding a number on a clash (loadFashionMnist2).
  return DATA_FOLDER_READERS.filter(
    (entry) => read.has(entry.module) && new RegExp(`\\bfunction ${entry.reader}\\d*\\(`).test(code),
  );
}

function dataFolderFiles(
  kitRoot: string,
  folders: ReadonlyArray<(typeof DATA_FOLDER_READERS)[number]>,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const { folder, files: wanted } of folders) {
    const full = path.join(kitRoot, 'data', folder);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full).sort()) {
      if (!wanted.test(name) || !statSync(path.join(full, name)).isFile()) continue;
      files[`data/${folder}/${name}`] = `${BASE64_PREFIX}${readFileSync(path.join(full, name)).toString('base64')}`;
    }
  }
  return files;
}

/** The `.wgsl` files a WebGPU bundle carries, by the path below the bundle's folder: the framework's and the implementation's. */
function wgslFiles(kitRoot: string, implementation: Implementation): Record<string, string> {
  const files: Record<string, string> = {};
  const frameworkKernels = path.join(kitRoot, 'framework/webgpu/kernels');
  for (const name of readdirSync(frameworkKernels).sort()) {
    if (name.endsWith('.wgsl'))
      files[`framework/webgpu/kernels/${name}`] = readFileSync(path.join(frameworkKernels, name), 'utf8');
  }
  if (implementation.kind === 'memory') {
    for (const [relative, source] of implementation.files)
      if (relative.endsWith('.wgsl')) files[`${IMPLEMENTATION_PREFIX}/${relative}`] = source;
  } else {
    const visit = (folder: string): void => {
      for (const name of readdirSync(folder).sort()) {
        const full = path.join(folder, name);
        if (statSync(full).isDirectory()) visit(full);
        else if (name.endsWith('.wgsl'))
          files[`${IMPLEMENTATION_PREFIX}/${path.relative(implementation.root, full).split(path.sep).join('/')}`] =
            readFileSync(full, 'utf8');
      }
    };
    visit(implementation.root);
  }
  return files;
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
