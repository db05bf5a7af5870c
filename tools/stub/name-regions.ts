import ts from 'typescript';
import { enclosingFunctionName } from './enclosing-names.js';
import { solutionPath, type Transform } from './stub-file.js';

/** Step 3 (TypeScript): the method or function around each region, for the stub's message. */
export const nameRegions: Transform = (file) => {
  if (file.regions.length === 0) return file;
  const source = ts.createSourceFile(file.file, file.text, ts.ScriptTarget.Latest, true);
  const names = file.regions.map((region) =>
    enclosingFunctionName(source, region.kind === 'block' ? region.begin : region.line, solutionPath(file)),
  );
  return { ...file, names };
};
