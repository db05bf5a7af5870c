import ts from 'typescript';
import type { BlockRegion, LineRegion } from './markers.js';
import { MarkerError } from './markers.js';
import { quote, solutionPath, stubLabel, type StubFile, type Transform } from './stub-file.js';

/** In a PROMPT, `$STUB` stands for the generated throw (so a prompt can add hints and still throw). */
export const stubPlaceholder = '$STUB';

/**
 * Step 4 (TypeScript): each region becomes its stub.
 *  * a block becomes its PROMPT text if it has one, otherwise
 *    `throw new NotImplementedError('ex1', 'FullyConnected.forward', 'docs/…#fullyconnected');`
 *  * a `// SOLUTION` line keeps its statement and loses its right-hand side:
 *    `return sub(value, …); // SOLUTION` → `return notImplemented('ex1', 'Sgd.update', '…');`
 *    (`notImplemented` returns `never`, so it fits where any value is expected).
 * The throw makes the rest of the function unreachable, which TypeScript allows, so variables the
 * region used to assign never read as "used before assigned".
 */
export const replaceRegions: Transform = (file) => {
  if (file.regions.length === 0) return file;
  const lines = file.text.split('\n');
  const source = ts.createSourceFile(file.file, file.text, ts.ScriptTarget.Latest, true);
  // Last region first, so the line numbers of the earlier ones stay valid.
  for (let index = file.regions.length - 1; index >= 0; index--) {
    const region = file.regions[index];
    const args = stubArguments(file, file.names[index]);
    if (region.kind === 'block')
      lines.splice(
        region.begin - 1,
        region.end - region.begin + 1,
        ...blockStub(region, `throw new NotImplementedError(${args});`),
      );
    else lines[region.line - 1] = lineStub(source, region, lines[region.line - 1], `notImplemented(${args})`, file);
  }
  return { ...file, text: lines.join('\n') };
};

function stubArguments(file: StubFile, name: string): string {
  const { exercise, component } = file.owner!;
  return [exercise.id, stubLabel(component.name, name), component.handout].map(quote).join(', ');
}

function blockStub(region: BlockRegion, statement: string): string[] {
  if (!region.prompt) return [region.indent + statement];
  return region.prompt.lines.map((line) => line.split(stubPlaceholder).join(statement));
}

function lineStub(source: ts.SourceFile, region: LineRegion, text: string, call: string, file: StubFile): string {
  const fail = (problem: string): never => {
    throw new MarkerError(solutionPath(file), region.line, problem);
  };
  const lineStart = source.getPositionOfLineAndCharacter(region.line - 1, 0);
  const statement = statementStartingOn(source, region.line - 1);
  if (!statement) return fail('// SOLUTION must end a statement that starts on the same line');
  if (source.getLineAndCharacterOfPosition(statement.getEnd()).line !== region.line - 1) {
    return fail(
      '// SOLUTION marks one line, but this statement goes on to the next: use BEGIN SOLUTION … END SOLUTION',
    );
  }
  const target = rightHandSide(statement);
  if (!target)
    return fail(
      'a // SOLUTION line must be `return value;`, `const name = value;` or `target = value;` (one declaration)',
    );
  const from = target.getStart(source) - lineStart;
  const to = target.getEnd() - lineStart;
  return (text.slice(0, from) + call + text.slice(to)).replace(/\s*\/\/\s*SOLUTION\s*$/, '');
}

function statementStartingOn(source: ts.SourceFile, line: number): ts.Statement | undefined {
  let found: ts.Statement | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isPlainStatement(node) && source.getLineAndCharacterOfPosition(node.getStart(source)).line === line) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const isPlainStatement = (node: ts.Node): node is ts.Statement =>
  ts.isReturnStatement(node) || ts.isVariableStatement(node) || ts.isExpressionStatement(node);

function rightHandSide(statement: ts.Statement): ts.Expression | undefined {
  if (ts.isReturnStatement(statement)) return statement.expression;
  if (ts.isVariableStatement(statement)) {
    const declarations = statement.declarationList.declarations;
    return declarations.length === 1 ? declarations[0].initializer : undefined;
  }
  if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
    const operator = statement.expression.operatorToken.kind;
    const assigns = operator >= ts.SyntaxKind.FirstAssignment && operator <= ts.SyntaxKind.LastAssignment;
    return assigns ? statement.expression.right : undefined;
  }
  return undefined;
}
