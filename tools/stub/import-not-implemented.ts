import path from 'node:path';
import ts from 'typescript';
import type { Transform } from './stub-file.js';

const errorsModule = 'framework/errors.js';

/**
 * Step 5 (TypeScript): the stub names NotImplementedError or notImplemented, so the file imports them
 * from framework/errors.js: into the file's existing (value) import from that module if it has one,
 * otherwise as a new import line after the last import. The relative path is the file's own, so the
 * same stub works at exercises/<file>.
 */
export const importNotImplemented: Transform = (file) => {
  const needed = ['NotImplementedError', 'notImplemented'].filter((name) =>
    new RegExp(`\\b${name}\\(`).test(file.text),
  );
  if (needed.length === 0) return file;
  const specifier = relativeSpecifier(file.file);
  const source = ts.createSourceFile(file.file, file.text, ts.ScriptTarget.Latest, true);
  const imports = source.statements.filter(ts.isImportDeclaration);
  const existing = imports.find(
    (declaration) =>
      (declaration.moduleSpecifier as ts.StringLiteral).text === specifier &&
      !declaration.importClause?.isTypeOnly &&
      declaration.importClause?.namedBindings !== undefined &&
      ts.isNamedImports(declaration.importClause.namedBindings),
  );
  if (existing) {
    const bindings = existing.importClause!.namedBindings as ts.NamedImports;
    const present = bindings.elements.map((element) => element.getText(source));
    const missing = needed.filter(
      (name) => !bindings.elements.some((element) => !element.isTypeOnly && element.name.text === name),
    );
    if (missing.length === 0) return file;
    const merged = `{ ${[...present, ...missing].join(', ')} }`;
    return {
      ...file,
      text: file.text.slice(0, bindings.getStart(source)) + merged + file.text.slice(bindings.getEnd()),
    };
  }
  const line = `import { ${needed.join(', ')} } from '${specifier}';\n`;
  const after = imports.length > 0 ? imports[imports.length - 1].getEnd() + 1 : 0;
  return { ...file, text: file.text.slice(0, after) + line + file.text.slice(after) };
};

/** `layers/conv.ts` → `../../framework/errors.js` (the file sits at solutions/layers/conv.ts). */
export function relativeSpecifier(file: string): string {
  const relative = path.posix.relative(path.posix.dirname(`solutions/${file}`), errorsModule);
  return relative.startsWith('.') ? relative : `./${relative}`;
}
