/**
 * A quick look at a submission's source before esbuild parses it: code nested thousands of levels deep
 * (brackets, or a run of prefix operators such as `!!!!…`) overflows the parser's stack, which kills
 * esbuild's shared service and prints a Go stack trace of thousands of lines on the instructor's console
 * (esbuild-service.ts then recovers, but slowly). No real solution nests anywhere near this deep, so such
 * a file is refused as not compiling, with the line where the nesting passed the limit.
 */
export const MAX_SOURCE_NESTING = 1000;

export interface TooDeep {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const opening = new Set(['(', '[', '{']);
const closing = new Set([')', ']', '}']);
const prefixOperators = new Set(['!', '-', '+', '~']);

/** Where `source` first nests deeper than MAX_SOURCE_NESTING, or undefined. Strings and comments are skipped. */
export function tooDeeplyNested(source: string): TooDeep | undefined {
  let depth = 0;
  let run = 0;
  let line = 1;
  let lineStart = 0;
  const at = (index: number, what: string): TooDeep => ({
    line,
    column: index - lineStart,
    message: `${what} nest more than ${MAX_SOURCE_NESTING} levels deep here: no solution needs that, and the compiler would run out of stack`,
  });
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      i--;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      for (let j = i; j < (end < 0 ? source.length : end); j++)
        if (source[j] === '\n') [line, lineStart] = [line + 1, j + 1];
      i = end < 0 ? source.length : end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      // A plain string ends at its quote or at the end of the line.
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if (opening.has(c)) {
      if (++depth > MAX_SOURCE_NESTING) return at(i, 'brackets');
    } else if (closing.has(c)) {
      depth = Math.max(0, depth - 1);
    }
    if (prefixOperators.has(c)) {
      if (++run > MAX_SOURCE_NESTING) return at(i, 'prefix operators');
    } else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') {
      run = 0;
    }
  }
  return undefined;
}
