import ts from 'typescript';
import { NAME_TOKEN, positionFinder, regionOf, STRING_TOKEN, type Tokens } from './tokens.js';

/**
 * TypeScript source as tokens, read with the TypeScript compiler's own scanner (no native parser, no
 * syntax tree). Comments and whitespace are dropped; keywords, punctuation and numbers stay as they
 * are; strings and template text become one token; a name stays itself only when it is one of
 * `knownNames` (names the given code and the language give, such as `forward`, `data`, `Math`, `exp`),
 * otherwise it becomes NAME_TOKEN. A copy with renamed variables therefore has the same tokens as its
 * original, while calls of the kit's API still tell two different solutions apart.
 */
const Kind = ts.SyntaxKind;
/** Read once: `ts.SyntaxKind.X` is a getter call on the compiler's module object. */
const SKIPPED = new Set<ts.SyntaxKind>([
  Kind.SingleLineCommentTrivia,
  Kind.MultiLineCommentTrivia,
  Kind.NewLineTrivia,
  Kind.WhitespaceTrivia,
  Kind.ShebangTrivia,
  Kind.ConflictMarkerTrivia,
]);
const NAMES = new Set<ts.SyntaxKind>([Kind.Identifier, Kind.PrivateIdentifier]);
const STRINGS = new Set<ts.SyntaxKind>([
  Kind.StringLiteral,
  Kind.NoSubstitutionTemplateLiteral,
  Kind.TemplateHead,
  Kind.TemplateMiddle,
  Kind.TemplateTail,
]);
const { OpenBraceToken, CloseBraceToken, TemplateHead, TemplateTail, EndOfFileToken } = Kind;
const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard);
const tokenToString = ts.tokenToString;

export function tokenizeTypeScript(text: string, knownNames: ReadonlySet<string>): Tokens {
  scanner.setText(text);
  const at = positionFinder(text);
  const tokens: string[] = [];
  const mapping: Tokens['mapping'] = [];
  // Brace depths at which a template literal's `${ … }` closes: there the scanner must read template text.
  const templateDepths: number[] = [];
  let depth = 0;
  for (let kind = scanner.scan(); kind !== EndOfFileToken; kind = scanner.scan()) {
    if (SKIPPED.has(kind)) continue;
    if (kind === OpenBraceToken) depth++;
    else if (kind === CloseBraceToken) {
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth) {
        kind = scanner.reScanTemplateToken(false);
        if (kind === TemplateTail) templateDepths.pop();
      } else {
        depth--;
      }
    }
    if (kind === TemplateHead) templateDepths.push(depth);
    let token: string;
    if (NAMES.has(kind)) {
      const name = scanner.getTokenText();
      token = knownNames.has(name) ? name : NAME_TOKEN;
    } else if (STRINGS.has(kind)) {
      token = STRING_TOKEN;
    } else {
      token = tokenToString(kind) ?? scanner.getTokenText();
    }
    tokens.push(token);
    mapping.push(regionOf(at, scanner.getTokenStart(), scanner.getTokenEnd()));
  }
  scanner.setText(undefined);
  return { tokens, mapping };
}

/** Every name in a TypeScript text (what given code contributes to `knownNames`). */
export function namesInTypeScript(text: string): string[] {
  scanner.setText(text);
  const names: string[] = [];
  for (let kind = scanner.scan(); kind !== EndOfFileToken; kind = scanner.scan())
    if (NAMES.has(kind)) names.push(scanner.getTokenText());
  scanner.setText(undefined);
  return names;
}
