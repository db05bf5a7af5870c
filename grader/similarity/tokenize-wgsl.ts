import { NAME_TOKEN, positionFinder, regionOf, type Tokens } from './tokens.js';

/**
 * WGSL source as tokens, with a small hand-written lexer (the kit has no WGSL parser and needs none
 * here): comments (`//`, nested `/* *\/`) and whitespace dropped, numbers, punctuation and attributes
 * kept, names as in tokenize-typescript.ts: kept when WGSL or the given code gives them, else NAME_TOKEN.
 */
const WGSL_NAMES = new Set(
  (
    'fn let var const override struct return if else for while loop break continue switch case default discard ' +
    'true false storage uniform read write read_write workgroup private function ptr array atomic vec2 vec3 vec4 ' +
    'vec2f vec3f vec4f vec2u vec3u vec4u vec2i vec3i vec4i mat2x2 mat3x3 mat4x4 f32 f16 i32 u32 bool ' +
    'group binding compute workgroup_size builtin global_invocation_id local_invocation_id workgroup_id ' +
    'local_invocation_index num_workgroups select min max clamp abs exp log sqrt pow floor ceil fma dot ' +
    'workgroupBarrier storageBarrier atomicAdd atomicMax atomicLoad atomicStore arrayLength bitcast'
  ).split(' '),
);

const lexeme =
  /\/\/[^\n]*|\/\*|\s+|[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9a-fA-F]+[iu]?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fhiu]?|->|&&|\|\||<<=|>>=|<<|>>|[-+*/%&|^<>=!]=|\+\+|--|[^\s]/y;

export function tokenizeWgsl(text: string, knownNames: ReadonlySet<string>): Tokens {
  const at = positionFinder(text);
  const tokens: string[] = [];
  const mapping: Tokens['mapping'] = [];
  let offset = 0;
  while (offset < text.length) {
    lexeme.lastIndex = offset;
    const match = lexeme.exec(text);
    const found = match?.[0] ?? text[offset];
    const start = offset;
    offset += found.length;
    if (found === '/*') {
      offset = endOfBlockComment(text, offset);
      continue;
    }
    if (found.startsWith('//') || /^\s/.test(found)) continue;
    tokens.push(
      /^[A-Za-z_]/.test(found) ? (WGSL_NAMES.has(found) || knownNames.has(found) ? found : NAME_TOKEN) : found,
    );
    mapping.push(regionOf(at, start, offset));
  }
  return { tokens, mapping };
}

/** WGSL block comments nest: the offset just after the `*\/` that closes the one opened before `offset`. */
function endOfBlockComment(text: string, offset: number): number {
  let open = 1;
  let i = offset;
  while (i < text.length && open > 0) {
    if (text.startsWith('/*', i)) {
      open++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      open--;
      i += 2;
    } else {
      i++;
    }
  }
  return i;
}

/** Every name in a WGSL text (what given code contributes to the known names). */
export function namesInWgsl(text: string): string[] {
  return [...text.replace(/\/\/[^\n]*/g, '').matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0]);
}
