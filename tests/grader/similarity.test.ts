import { describe, expect, it } from 'vitest';
import { course } from '../../course/course.js';
import { findSimilarity, type SubmissionFiles } from '../../grader/similarity/find-similarity.js';
import { codeBlocks, givenCode } from '../../grader/similarity/given-code.js';
import { renderSimilarityHtml } from '../../grader/similarity/render-similarity.js';
import {
  DEFAULT_SIMILARITY_SETTINGS,
  type ComponentSimilarity,
  type SimilarityResult,
} from '../../grader/similarity/similarity-types.js';
import { tokenizeTypeScript } from '../../grader/similarity/tokenize-typescript.js';
import { tokenizeWgsl } from '../../grader/similarity/tokenize-wgsl.js';
import { NAME_TOKEN, STRING_TOKEN } from '../../grader/similarity/tokens.js';
import { kitRoot } from './helpers.js';
import {
  copiedSoftmax,
  disguise,
  ex1,
  independentSoftmax,
  solution,
  stub,
  submission,
  withRegions,
} from './similarity-class.js';

/**
 * The similarity index (issue 15) on constructed classes: a disguised copy ranks first, an
 * independent solution of the same component ranks low, untouched stubs and the handout's code never
 * match, and a submission's name cannot inject markup into similarity.html.
 */
const given = givenCode(
  kitRoot,
  ex1.flatMap((e) => e.components),
);
const settings = DEFAULT_SIMILARITY_SETTINGS;

function compare(
  submissions: readonly SubmissionFiles[],
): Omit<SimilarityResult, 'generatedAt' | 'unreadable' | 'seconds'> {
  return findSimilarity(submissions, ex1, given, settings);
}

const componentOf = (result: { components: readonly ComponentSimilarity[] }, name: string): ComponentSimilarity => {
  const found = result.components.find((c) => c.component === name);
  if (!found) throw new Error(`no component ${name} in the result`);
  return found;
};

const reference = Object.fromEntries(
  ex1.flatMap((e) => e.components.flatMap((c) => c.files)).map((file) => [file, solution(file)]),
);
const softmax = 'activations/softmax.ts';
const classOfFive = [
  submission('alice', reference),
  submission('bob', { [softmax]: independentSoftmax }),
  submission('carol'),
  submission('dave'),
  submission('mallory', { ...reference, [softmax]: copiedSoftmax }),
];

describe('similarity: tokens', () => {
  it('gives a renamed, re-commented, re-indented copy the same tokens as its original', () => {
    const names = given.knownNames.get(softmax) ?? new Set<string>();
    const original = tokenizeTypeScript(
      withRegions(solution(softmax), [
        '  for (let row = 0; row < x.length; row++) y[row] = x[row];',
        '    return output;',
      ]),
      names,
    );
    const renamed = tokenizeTypeScript(
      withRegions(solution(softmax), [
        '  // copy\n    for (let i = 0;\n i < x.length; i++)   y[i] = x[i];',
        '    return output; /* mine */',
      ]),
      names,
    );
    expect(renamed.tokens).toEqual(original.tokens);
    expect(original.tokens).toContain(NAME_TOKEN); // `row`: a name the student chose
    expect(original.tokens).toContain('classes'); // a name the given code declares stays itself
  });

  it('reads template literals, strings and private names, and maps every token to its line', () => {
    const { tokens, mapping } = tokenizeTypeScript(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source with a template literal, as a string to tokenize
      "const a = `x ${f({ b: 1 })} y ${c}`;\nthis.#hidden = 'text';",
      new Set(['f']),
    );
    expect(tokens).toEqual([
      'const',
      NAME_TOKEN,
      '=',
      STRING_TOKEN,
      'f',
      '(',
      '{',
      NAME_TOKEN,
      ':',
      '1',
      '}',
      ')',
      STRING_TOKEN,
      NAME_TOKEN,
      STRING_TOKEN,
      ';',
      'this',
      '.',
      NAME_TOKEN,
      '=',
      STRING_TOKEN,
      ';',
    ]);
    expect(mapping[0].startRow).toBe(0);
    expect(mapping[mapping.length - 1].startRow).toBe(1);
  });

  it('reads WGSL without its comments (nested block comments too), keeping builtins and attributes', () => {
    const { tokens } = tokenizeWgsl(
      '/* a /* nested */ comment */ @compute @workgroup_size(64)\nfn main(@builtin(global_invocation_id) id: vec3u) { // note\n  let mine = 1.5e-3f; }',
      new Set(['main']),
    );
    expect(tokens).toEqual([
      '@',
      'compute',
      '@',
      'workgroup_size',
      '(',
      '64',
      ')',
      'fn',
      'main',
      '(',
      '@',
      'builtin',
      '(',
      'global_invocation_id',
      ')',
      NAME_TOKEN,
      ':',
      'vec3u',
      ')',
      '{',
      'let',
      NAME_TOKEN,
      '=',
      '1.5e-3f',
      ';',
      '}',
    ]);
  });

  it('finds the handout code blocks that are given code', () => {
    expect(codeBlocks('text\n```ts\nconst a = 1;\n```\n\n```sh\nnpm test\n```\n').map((b) => b.language)).toEqual([
      'ts',
      'sh',
    ]);
  });
});

describe('similarity: constructed class', () => {
  const result = compare(classOfFive);
  const component = componentOf(result, 'SoftMax');

  it('ranks a copy with renamed variables and reordered functions first, and flags it', () => {
    const [first] = component.pairs;
    expect([first.left, first.right]).toEqual(['alice', 'mallory']);
    expect(first.flagged, `similarity ${first.similarity}, longest ${first.longestTokens} tokens`).toBe(true);
    expect(first.similarity).toBeGreaterThan(0.9);
    expect(first.fragments.length).toBeGreaterThan(0);
    // The fragments point at the right lines on both sides: softmaxCpu's loop moved below the class in the copy.
    const longest = first.fragments[0];
    const linesOf = (text: string, range: { startLine: number; endLine: number }): string =>
      text
        .split('\n')
        .slice(range.startLine - 1, range.endLine)
        .join('\n');
    expect(linesOf(solution(softmax), longest.left)).toContain('Math.exp(x[row + k] - largest)');
    expect(linesOf(copiedSoftmax, longest.right)).toContain('Math.exp(x[theRowValue + theKValue] - theLargestValue)');
    expect(longest.right.startLine).toBeGreaterThan(longest.left.startLine);
  });

  it('ranks two independent correct solutions of the same component low and does not flag them', () => {
    for (const other of ['alice', 'mallory']) {
      const pair = component.pairs.find((p) => [p.left, p.right].includes('bob') && [p.left, p.right].includes(other));
      const similarity = pair?.similarity ?? 0;
      expect(similarity, `bob and ${other}: ${similarity}`).toBeLessThan(settings.threshold / 2);
      expect(pair?.flagged ?? false).toBe(false);
    }
    expect(component.flaggedPairs).toBe(1);
  });

  it('never pairs untouched stubs, in any component', () => {
    for (const c of result.components) {
      for (const pair of c.pairs) {
        expect([pair.left, pair.right], `${c.component}`).not.toContain('carol');
        expect([pair.left, pair.right], `${c.component}`).not.toContain('dave');
      }
    }
    // Stubs have no code of their own: only alice and mallory (and bob in SoftMax) count.
    expect(componentOf(result, 'FullyConnected').withOwnCode).toBe(2);
    expect(component.withOwnCode).toBe(3);
    expect(
      compare([submission('carol'), submission('dave')]).components.every(
        (c) => c.withOwnCode === 0 && c.pairs.length === 0,
      ),
    ).toBe(true);
  });

  it('never counts code the handout gives: two students who paste its matrix-product loop share nothing more', () => {
    // docs/exercises/5-webgpu.md gives this loop (the CPU matrix product); each student wraps it in code of their own.
    const loop = `for (let i = 0; i < m; i++)
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let p = 0; p < k; p++) sum += A[i * k + p] * B[p * n + j];
    C[i * n + j] = sum;
  }`;
    const erin = `    const A = input.data, B = this.weight.value.data;
    const m = input.shape[0], k = input.shape[1], n = this.weight.value.shape[1];
    const C = new Float32Array(m * n);
${loop}
    return add(new Tensor([m, n], C), this.bias.value);`;
    const frank = `    const [m, k] = input.shape;
    const n = this.weight.value.shape[1];
    const A = input.data;
    const B = this.weight.value.data;
    const C = allocate(input.dtype, m * n);
${loop}
    const product = new Tensor([m, n], C);
    return add(product, this.bias.value);`;
    const file = 'layers/fully-connected.ts';
    const pasted = [
      submission('erin', { [file]: withRegions(solution(file), [erin, '    return gradOutput;']) }),
      submission('frank', { [file]: withRegions(solution(file), [frank, '    return gradOutput;']) }),
    ];
    const pair = componentOf(compare(pasted), 'FullyConnected').pairs[0];
    expect(pair.longestTokens, 'only the edges of the handout loop may match').toBeLessThan(settings.minimumRunTokens);
    expect(pair.flagged).toBe(false);
    // The control: with the handout's code blocks not ignored, the same two are flagged.
    const stubsOnly = {
      ...given,
      templates: new Map(
        [...given.templates].map(([f, texts]) => [f, texts.filter((t) => !t.source.includes('code block'))]),
      ),
    };
    const unignored = componentOf(findSimilarity(pasted, ex1, stubsOnly, settings), 'FullyConnected').pairs[0];
    expect(unignored.longestTokens).toBeGreaterThanOrEqual(settings.minimumRunTokens);
  });

  it('lists a group of identical submissions once, naming every member', () => {
    const copies = compare([
      submission('alice', reference),
      submission('bob', reference),
      submission('carol', reference),
      submission('dave'),
    ]);
    const pair = componentOf(copies, 'SoftMax').pairs[0];
    expect(pair.identical).toEqual(['alice', 'bob', 'carol']);
    expect(componentOf(copies, 'SoftMax').flaggedPairs).toBe(3);
    expect(componentOf(copies, 'SoftMax').distinct).toBe(1);
  });

  it('compares WGSL kernels too: a renamed copy of the tiled matrix product is flagged', () => {
    const ex5 = course.exercises.filter((e) => e.id === 'ex5');
    const kernel = 'kernels/matmul-tiled.wgsl';
    const original = solution(kernel);
    const renamed = original
      .replace(/\b(tile|acc|sum|row|col)\b/g, (name) => `my_${name}`)
      .replace(/\/\/[^\n]*\n/g, '\n');
    const files = (text: string): SubmissionFiles['files'] => new Map([[kernel, text]]);
    const wgsl = findSimilarity(
      [
        { id: 'alice', files: files(original) },
        { id: 'bob', files: files(stub(kernel)) },
        { id: 'mallory', files: files(renamed) },
      ],
      ex5,
      givenCode(
        kitRoot,
        ex5.flatMap((e) => e.components),
      ),
      settings,
    );
    const pair = componentOf(wgsl, 'TiledMatmulKernel').pairs[0];
    expect([pair.left, pair.right, pair.flagged]).toEqual(['alice', 'mallory', true]);
    expect(componentOf(wgsl, 'TiledMatmulKernel').withOwnCode).toBe(2);
  });
});

describe('similarity: similarity.html', () => {
  it('escapes a submission name and a code line that carry markup, and shows control characters as escapes', () => {
    const hostileName = '</td><img src=x onerror=alert(1)><script>alert(2)</script>\u202e';
    const hostileCode = copiedSoftmax.replace(
      'export class SoftMax',
      '// </table><script>alert(3)</script>\u202e\nexport class SoftMax',
    );
    const hostileCopy = withRegions(solution(softmax), [
      disguise(solution(softmax))
        .match(/for \(let theRowValue[\s\S]*?\n {2}}\n/)?.[0]
        .replace('{', '{ /* </pre><b>bold</b> */') ?? '',
      '    return mul(output, sub(gradOutput, sum(mul(gradOutput, output), -1, true)));',
    ]);
    const members = [
      submission('alice', reference),
      submission(hostileName, { [softmax]: hostileCopy }),
      submission('mallory', { [softmax]: hostileCode }),
    ];
    const found = compare(members);
    const result: SimilarityResult = {
      ...found,
      generatedAt: '2026-01-01T00:00:00Z',
      unreadable: [{ id: '<b>unreadable</b>', reason: 'damaged <i>zip</i>' }],
      seconds: 0.1,
    };
    expect(componentOf(result, 'SoftMax').pairs.some((p) => p.left === hostileName || p.right === hostileName)).toBe(
      true,
    );
    const html = renderSimilarityHtml(result, new Map(members.map((m) => [m.id, m.files])));
    for (const raw of ['<img src=x', '<script>', '</pre><b>', '<b>unreadable', '<i>zip', '\u202e'])
      expect(html, raw).not.toContain(raw);
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).toContain('\\u202e');
    expect(html).toContain('evidence to look at, not a verdict');
  });
});
