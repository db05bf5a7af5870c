import ts from 'typescript';
import { MarkerError } from './markers.js';

/**
 * The name a stub reports for the code at a line: `FullyConnected.forward` for a method,
 * `reluCpu` for a function, `Sgd.constructor`, `Network.training` for an accessor. An anonymous
 * callback takes the name of the nearest named function around it. A region outside any function
 * (module or class-body level) cannot become a throwing stub, so it is an error.
 */
export function enclosingFunctionName(source: ts.SourceFile, line: number, file: string): string {
  const position = source.getPositionOfLineAndCharacter(line - 1, 0);
  let name: string | undefined;
  const visit = (node: ts.Node): void => {
    if (position < node.getStart(source) || position >= node.getEnd()) return;
    const here = functionNameOf(node);
    if (here !== undefined && isInsideBody(node, position, source)) name = here;
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (name === undefined) {
    throw new MarkerError(
      file,
      line,
      'solution region outside a function body: put the markers inside the body of the method or function the student writes',
    );
  }
  return name;
}

function isInsideBody(node: ts.Node, position: number, source: ts.SourceFile): boolean {
  const body = (node as ts.FunctionLikeDeclaration).body;
  return body !== undefined && position >= body.getStart(source) && position < body.getEnd();
}

/** The reported name of a function-like node, or undefined for a non-function or an anonymous one. */
function functionNameOf(node: ts.Node): string | undefined {
  const className = (member: ts.Node): string => {
    const owner = member.parent;
    return (ts.isClassLike(owner) && owner.name?.text) || 'anonymous class';
  };
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    const method = node.name.getText();
    return ts.isClassLike(node.parent) ? `${className(node)}.${method}` : method;
  }
  if (ts.isConstructorDeclaration(node)) return `${className(node)}.constructor`;
  if (ts.isFunctionDeclaration(node)) return node.name?.text;
  if (ts.isFunctionExpression(node) || ts.isArrowFunction(node)) {
    const holder = node.parent;
    if (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) {
      const name = holder.name.getText();
      return ts.isPropertyDeclaration(holder) ? `${className(holder)}.${name}` : name;
    }
    return ts.isFunctionExpression(node) ? node.name?.text : undefined;
  }
  return undefined;
}
