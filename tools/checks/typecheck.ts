import path from 'node:path';
import ts from 'typescript';
import { listFiles } from '../files.js';
import type { Kit } from '../kit.js';

/**
 * Type-checks the stubs as a student gets them: exercises/ plus the public tests and their helpers,
 * with `#impl/*` pointing at exercises/ (the kit's tsconfig points it at solutions/). A stub that
 * does not compile, or a test that needs something a stub removed, shows up here with file:line.
 */
export function typecheckStubs(kit: Kit): string[] {
  const configFile = ts.readConfigFile(path.join(kit.root, 'tsconfig.json'), ts.sys.readFile);
  if (configFile.error) return [ts.flattenDiagnosticMessageText(configFile.error.messageText, '\n')];
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, kit.root);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, paths: { '#impl/*': ['./exercises/*'] } };
  const folders = ['exercises', 'tests/helpers', ...kit.course.exercises.map((exercise) => exercise.publicTests)];
  const rootNames = folders.flatMap((folder) =>
    listFiles(path.join(kit.root, folder))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => path.join(kit.root, folder, file)),
  );
  return errorsOf(ts.createProgram(rootNames, options, cachingHost(options)), kit.root);
}

/** Type-checks a project as `tsc --noEmit -p <root>/tsconfig.json` would (used on a built handout). */
export function typecheckProject(root: string): string[] {
  const configFile = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  if (configFile.error) return [ts.flattenDiagnosticMessageText(configFile.error.messageText, '\n')];
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const options = { ...parsed.options, noEmit: true };
  return errorsOf(ts.createProgram(parsed.fileNames, options, cachingHost(options)), root);
}

function errorsOf(program: ts.Program, root: string): string[] {
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.relative(root, diagnostic.file.fileName)}:${line + 1}:${character + 1}: ${message}`;
  });
}

/** Declaration files (the standard library, @types/node) parsed once per process: most of the time of a check. */
const declarations = new Map<string, ts.SourceFile>();

function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.endsWith('.d.ts')) return read(fileName, languageVersion, onError, shouldCreate);
    const cached = declarations.get(fileName) ?? read(fileName, languageVersion, onError, shouldCreate);
    if (cached) declarations.set(fileName, cached);
    return cached;
  };
  return host;
}
