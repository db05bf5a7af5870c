import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { course, type ComponentSpec } from '../../course/course.js';
import { stubSource } from '../samples/build-samples.js';
import { namesInTypeScript } from './tokenize-typescript.js';
import { namesInWgsl } from './tokenize-wgsl.js';

/**
 * The code every student is given, which must never count as shared: for each owned file its stub
 * (exercises/, as `npm run stubs` generates it: imports, classes, shape checks, caching, the
 * NotImplementedError lines) and the code blocks of the course's handouts. Their fingerprints are
 * ignored (Dolos's `addIgnoredFile`), and their names are the names a student did not choose.
 */
export interface GivenCode {
  /** Owned file (relative to exercises/) → the texts given for it, each with where it comes from. */
  readonly templates: ReadonlyMap<string, ReadonlyArray<{ readonly source: string; readonly text: string }>>;
  /**
   * Owned file → names kept as themselves by the tokenizers (the names its stub uses, and the
   * language's); every other name becomes one token. Per file: a loop variable that one stub declares
   * is still a name the student chooses in another file. Not the handouts' names: their examples'
   * `i`, `k`, `sum` are exactly what students name their own variables.
   */
  readonly knownNames: ReadonlyMap<string, ReadonlySet<string>>;
}

export type Language = 'typescript' | 'wgsl';

export function languageOf(file: string): Language {
  return file.endsWith('.wgsl') ? 'wgsl' : 'typescript';
}

/** Names the language and its runtime give: globals, Math's and arrays' members. */
function runtimeNames(): string[] {
  const names = new Set<string>(Object.getOwnPropertyNames(globalThis));
  for (const owner of [
    Math,
    Number,
    Array,
    Array.prototype,
    Float32Array.prototype,
    Object,
    String.prototype,
    Promise.prototype,
    Error.prototype,
  ]) {
    for (const name of Object.getOwnPropertyNames(owner)) names.add(name);
  }
  for (const name of ['length', 'undefined', 'console', 'log']) names.add(name);
  return [...names];
}

/** Fenced code blocks of a Markdown text, with their info string's language ('' when none). */
export function codeBlocks(markdown: string): Array<{ language: string; text: string }> {
  const blocks: Array<{ language: string; text: string }> = [];
  const fence = /^(`{3,}|~{3,})[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) blocks.push({ language: match[2].toLowerCase(), text: match[3] });
  return blocks;
}

const blockLanguages: Record<Language, readonly string[]> = {
  typescript: ['', 'ts', 'typescript', 'js', 'javascript'],
  wgsl: ['', 'wgsl'],
};

export function givenCode(kitRoot: string, components: readonly ComponentSpec[]): GivenCode {
  const templates = new Map<string, Array<{ source: string; text: string }>>();
  const knownNames = new Map<string, Set<string>>();
  const runtime = runtimeNames();
  // Every handout's code blocks, for every file of their language: code given for one exercise (the
  // CPU matrix product in Exercise 5's) may as well be pasted into another's.
  const handouts = [...new Set(course.exercises.map((exercise) => exercise.handout))].filter((handout) =>
    existsSync(path.join(kitRoot, handout)),
  );
  const blocks = handouts.flatMap((handout) =>
    codeBlocks(readFileSync(path.join(kitRoot, handout), 'utf8')).map((block, i) => ({
      ...block,
      source: `${handout}, code block ${i + 1}`,
    })),
  );
  for (const component of components) {
    for (const file of component.files) {
      const language = languageOf(file);
      const stub = stubSource(kitRoot, file);
      // The stub, and the stub without the lines a student deletes (the NotImplementedError import and
      // throws): so the given code on either side of a student's code is ignored as one piece too.
      const given = [
        { source: `exercises/${file} (the stub)`, text: stub },
        {
          source: `exercises/${file} (the stub without its NotImplementedError lines)`,
          text: stub
            .split('\n')
            .filter((line) => !/NotImplementedError|dlkit:not-implemented/.test(line))
            .join('\n'),
        },
        ...blocks
          .filter((block) => blockLanguages[language].includes(block.language))
          .map(({ source, text }) => ({ source, text })),
      ];
      templates.set(file, given);
      knownNames.set(
        file,
        new Set([...runtime, ...(language === 'wgsl' ? namesInWgsl(stub) : namesInTypeScript(stub))]),
      );
    }
  }
  return { templates, knownNames };
}
