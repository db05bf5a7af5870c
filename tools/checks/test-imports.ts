import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { listFiles } from '../files.js';
import { ownerIn, toPosix, type Kit } from '../kit.js';

/**
 * Each exercise's public tests may import: framework/ (relative path), tests/harness/, tests/helpers/,
 * files of their own test folder, `#impl/…` files of components of this exercise or an earlier one,
 * and the test libraries. Nothing else: not solutions/ or exercises/ directly (that would bypass the
 * #impl alias), not a later exercise. Helpers may import framework/, the harness, other helpers and the
 * libraries only. Every test file ends in `export default componentChecks('exN', 'Component', …)` with
 * a component of that exercise (the harness names its tests `exN Component`, so the scoreboard and
 * `-t "exN Component"` find them), and once an exercise has tests every component has some.
 */
const libraries = new Set(['vitest', 'fast-check']);

export function checkTestImports(kit: Kit): string[] {
  const problems: string[] = [];
  const helpers = 'tests/helpers';
  for (const file of listFiles(path.join(kit.root, helpers)).filter((name) => name.endsWith('.ts'))) {
    problems.push(...checkFile(kit, `${helpers}/${file}`, undefined));
  }
  for (const exercise of kit.course.exercises) {
    const files = listFiles(path.join(kit.root, exercise.publicTests)).filter((name) => name.endsWith('.ts'));
    for (const file of files) problems.push(...checkFile(kit, `${exercise.publicTests}/${file}`, exercise.number));
    // Once an exercise has public tests, each of its components needs some (the scoreboard would say "no tests").
    if (files.length === 0) continue;
    const named = new Set(
      files
        .filter((file) => file.endsWith('.test.ts'))
        .flatMap((file) => topLevelDescribes(kit, `${exercise.publicTests}/${file}`).map((found) => found.name)),
    );
    for (const component of exercise.components) {
      if (!named.has(`${exercise.id} ${component.name}`)) {
        problems.push(
          `${exercise.publicTests}: no describe('${exercise.id} ${component.name}', …): every component of ${exercise.id} needs public tests (a test file ending in componentChecks('${exercise.id}', '${component.name}', …))`,
        );
      }
    }
  }
  return problems;
}

function checkFile(kit: Kit, file: string, exerciseNumber: number | undefined): string[] {
  const text = readFileSync(path.join(kit.root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const exercise = kit.course.exercises.find((candidate) => candidate.number === exerciseNumber);
  for (const { specifier, node } of importsOf(source)) {
    const where = `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
    const problem = judgeImport(
      kit,
      file,
      specifier,
      exercise ? { number: exercise.number, folder: exercise.publicTests } : undefined,
    );
    if (problem) problems.push(`${where}: import '${specifier}' ${problem}`);
  }
  if (exercise && file.endsWith('.test.ts'))
    problems.push(
      ...checkDescribeNames(
        source,
        file,
        exercise.id,
        exercise.components.map((component) => component.name),
      ),
    );
  return problems;
}

function judgeImport(
  kit: Kit,
  file: string,
  specifier: string,
  exercise: { number: number; folder: string } | undefined,
): string | undefined {
  if (libraries.has(specifier) || specifier.startsWith('node:')) return undefined;
  if (specifier.startsWith('#impl/')) {
    if (!exercise) return 'is not allowed in tests/helpers: helpers must not depend on a student implementation';
    const target = specifier.slice('#impl/'.length).replace(/\.js$/, '.ts');
    const owner = ownerIn(kit.course, target);
    if (!owner) return `names solutions/${target}, which no component in course/course.ts owns`;
    if (owner.exercise.number > exercise.number)
      return `uses ${owner.exercise.id} ${owner.component.name}, a later exercise than this test's`;
    return undefined;
  }
  if (specifier.startsWith('.')) {
    const resolved = toPosix(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
    if (
      resolved.startsWith('framework/') ||
      resolved.startsWith('tests/helpers/') ||
      resolved.startsWith('tests/harness/')
    )
      return undefined;
    if (exercise && resolved.startsWith(`${exercise.folder}/`)) return undefined;
    if (resolved.startsWith('solutions/') || resolved.startsWith('exercises/'))
      return 'reaches the implementation directly: import it as #impl/…';
    return "is outside framework/, tests/harness/, tests/helpers/ and this exercise's test folder";
  }
  return 'is a package the tests may not use (allowed: vitest, fast-check, node: built-ins)';
}

function importsOf(source: ts.SourceFile): { specifier: string; node: ts.Node }[] {
  const found: { specifier: string; node: ts.Node }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, node });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, node });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The component each test file declares: `export default componentChecks('ex1', 'ReLU', …)`. */
function topLevelDescribes(kit: Kit, file: string): { callee: string; name: string | undefined; line: number }[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(path.join(kit.root, file), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  return declaredComponents(source);
}

/**
 * `export default componentChecks('ex1', 'ReLU', …)` as `{ callee: 'componentChecks', name: 'ex1 ReLU' }`,
 * and any top-level `describe…(…)` call (which a component file must not have: the harness registers
 * its tests).
 */
function declaredComponents(source: ts.SourceFile): { callee: string; name: string | undefined; line: number }[] {
  const found: { callee: string; name: string | undefined; line: number }[] = [];
  const literal = (node: ts.Expression | undefined): string | undefined =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
  for (const statement of source.statements) {
    const line = source.getLineAndCharacterOfPosition(statement.getStart(source)).line + 1;
    if (ts.isExportAssignment(statement) && ts.isCallExpression(statement.expression)) {
      const call = statement.expression;
      const callee = call.expression.getText(source);
      const [exercise, component] = [literal(call.arguments[0]), literal(call.arguments[1])];
      found.push({
        callee,
        name: exercise !== undefined && component !== undefined ? `${exercise} ${component}` : undefined,
        line,
      });
    } else if (
      ts.isExpressionStatement(statement) &&
      ts.isCallExpression(statement.expression) &&
      /^describe/.test(statement.expression.expression.getText(source))
    ) {
      found.push({ callee: statement.expression.expression.getText(source), name: undefined, line });
    }
  }
  return found;
}

function checkDescribeNames(
  source: ts.SourceFile,
  file: string,
  exerciseId: string,
  components: readonly string[],
): string[] {
  const problems: string[] = [];
  const declared = declaredComponents(source);
  for (const { callee, name, line } of declared) {
    if (callee !== 'componentChecks') {
      problems.push(
        `${file}:${line}: a component's test file declares its checks with \`export default componentChecks('${exerciseId}', '<Component>', [...])\` (tests/harness), not ${callee}(…)`,
      );
      continue;
    }
    const match = name === undefined ? null : new RegExp(`^${exerciseId} (\\S+)$`).exec(name);
    if (!match || !components.includes(match[1])) {
      problems.push(
        `${file}:${line}: componentChecks must name '${exerciseId}' and one of ${components.join(', ')}; got ${name === undefined ? 'non-literal names' : `'${name}'`}`,
      );
    }
  }
  if (!declared.some((entry) => entry.callee === 'componentChecks'))
    problems.push(
      `${file}: no \`export default componentChecks('${exerciseId}', '<Component>', [...])\`: the scoreboard and the grader cannot find these checks`,
    );
  return problems;
}
