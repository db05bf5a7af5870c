/**
 * Solution markers (DESIGN §6), the same in TypeScript and WGSL:
 *
 *   // BEGIN SOLUTION            a block a student writes; the stub keeps the enclosing signature
 *   /* PROMPT … *\/             optional, inside a block: text that replaces the block in the stub
 *   // END SOLUTION
 *   code; // SOLUTION            one line whose right-hand side becomes the stub
 *
 * `parseMarkers` finds them line by line and refuses anything it cannot pair unambiguously, with the
 * file and line, so a typo in a marker never leaks a solution into exercises/.
 */
export interface PromptText {
  /** 1-based lines of `/* PROMPT` and of the closing `*\/`. */
  readonly first: number;
  readonly last: number;
  /** The prompt's lines with the comment delimiters removed (may be empty). */
  readonly lines: readonly string[];
}

export interface BlockRegion {
  readonly kind: 'block';
  /** 1-based lines of `// BEGIN SOLUTION` and `// END SOLUTION`. */
  readonly begin: number;
  readonly end: number;
  readonly indent: string;
  readonly prompt?: PromptText;
}

export interface LineRegion {
  readonly kind: 'line';
  /** 1-based line that ends in `// SOLUTION`. */
  readonly line: number;
  readonly indent: string;
}

export type Region = BlockRegion | LineRegion;

/** A marker problem: `solutions/layers/conv.ts:42: END SOLUTION without a BEGIN SOLUTION`. */
export class MarkerError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'MarkerError';
  }
}

const beginPattern = /^\s*\/\/\s*BEGIN SOLUTION\s*$/;
const endPattern = /^\s*\/\/\s*END SOLUTION\s*$/;
const linePattern = /^(\s*)(\S.*?)\s*\/\/\s*SOLUTION\s*$/;
const promptPattern = /^\s*\/\*\s*PROMPT\b(.*)$/;
/** Anything that looks like a marker but is none of the above: a typo we must not ignore. */
const suspiciousPattern = /\b(BEGIN|END)\s*SOLUTIONS?\b|\/\/\s*SOLUTIONS?\b|\/\*\s*PROMPT/;

const indentOf = (line: string): string => /^\s*/.exec(line)![0];

/** The regions of `source`, in order; `file` is only for error messages. */
export function parseMarkers(source: string, file: string): Region[] {
  const lines = source.split('\n');
  const regions: Region[] = [];
  let open: { begin: number; indent: string; prompt?: PromptText; body: number } | undefined;

  for (let index = 0; index < lines.length; index++) {
    const text = lines[index];
    const lineNumber = index + 1;
    const fail = (problem: string): never => {
      throw new MarkerError(file, lineNumber, problem);
    };

    if (beginPattern.test(text)) {
      if (open) fail(`BEGIN SOLUTION inside the region opened at line ${open.begin}: regions cannot nest`);
      open = { begin: lineNumber, indent: indentOf(text), body: 0 };
    } else if (endPattern.test(text)) {
      if (!open) fail('END SOLUTION without a BEGIN SOLUTION');
      const region = open!;
      if (region.body === 0)
        fail(`the region opened at line ${region.begin} is empty: a region holds what the student writes`);
      regions.push({
        kind: 'block',
        begin: region.begin,
        end: lineNumber,
        indent: region.indent,
        ...(region.prompt ? { prompt: region.prompt } : {}),
      });
      open = undefined;
    } else if (promptPattern.test(text)) {
      if (!open) fail('PROMPT outside a solution region: put it just inside a BEGIN SOLUTION … END SOLUTION block');
      if (open!.prompt)
        fail(`second PROMPT in the region opened at line ${open!.begin}: one region has at most one prompt`);
      const { prompt, last } = readPrompt(lines, index, file);
      open!.prompt = prompt;
      index = last;
    } else if (linePattern.test(text)) {
      const [, indent, code] = linePattern.exec(text)!;
      if (open) fail(`// SOLUTION line inside the region opened at line ${open.begin}: markers cannot nest`);
      if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*'))
        fail('// SOLUTION must end a line of code; use BEGIN SOLUTION … END SOLUTION for a block');
      regions.push({ kind: 'line', line: lineNumber, indent });
    } else if (suspiciousPattern.test(text)) {
      fail(
        `unrecognised marker '${text.trim()}': write exactly '// BEGIN SOLUTION', '// END SOLUTION', 'code; // SOLUTION' or '/* PROMPT … */'`,
      );
    } else if (open && text.trim() !== '') {
      open.body++;
    }
  }
  if (open) throw new MarkerError(file, open.begin, 'BEGIN SOLUTION has no matching END SOLUTION');
  return regions;
}

/** Reads a `/* PROMPT … *\/` comment that starts at `start` (0-based); errors if it never closes. */
function readPrompt(lines: readonly string[], start: number, file: string): { prompt: PromptText; last: number } {
  const firstText = promptPattern.exec(lines[start])![1];
  const collected: string[] = [];
  const indent = indentOf(lines[start]);
  for (let index = start; index < lines.length; index++) {
    const raw = index === start ? firstText : lines[index];
    const close = raw.indexOf('*/');
    const content = close >= 0 ? raw.slice(0, close) : raw;
    if (close >= 0 && raw.slice(close + 2).trim() !== '') {
      throw new MarkerError(file, index + 1, 'code after the */ that closes a PROMPT: put it on its own line');
    }
    if (index === start) {
      if (content.trim() !== '') collected.push(indent + content.trim());
    } else if (close < 0 || content.trim() !== '') {
      collected.push(content.trimEnd());
    }
    if (close >= 0) return { prompt: { first: start + 1, last: index + 1, lines: collected }, last: index };
  }
  throw new MarkerError(file, start + 1, 'PROMPT is never closed with */');
}
