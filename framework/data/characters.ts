import { ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { readDataFile } from './files.js';

/**
 * Character-level data for sequence models (the seed's "hello" language model, 004: 5981–6003):
 * a vocabulary of the characters in a text, encode/decode, and windows of the text as one-hot
 * batches [batch, time, vocabulary] with the next character as target.
 */
export class CharacterVocabulary {
  /** The characters, sorted by code point; a character's id is its index here. */
  readonly characters: readonly string[];
  readonly #ids: Map<string, number>;

  constructor(characters: Iterable<string>) {
    this.characters = Object.freeze([...new Set(characters)].sort());
    if (this.characters.length === 0) throw new ValueError('CharacterVocabulary needs at least one character');
    this.#ids = new Map(this.characters.map((character, id) => [character, id]));
  }

  /** The vocabulary of every character that occurs in `text`. */
  static fromText(text: string): CharacterVocabulary {
    return new CharacterVocabulary(Array.from(text));
  }

  get size(): number {
    return this.characters.length;
  }

  /** Text → ids; a character outside the vocabulary is an error that names it and where it is. */
  encode(text: string): number[] {
    return Array.from(text).map((character, position) => {
      const id = this.#ids.get(character);
      if (id === undefined)
        throw new ValueError(
          `CharacterVocabulary.encode: ${JSON.stringify(character)} at position ${position} is not in the vocabulary of ${this.size} characters`,
        );
      return id;
    });
  }

  /** Ids → text. */
  decode(ids: readonly number[]): string {
    return ids
      .map((id) => {
        if (!Number.isInteger(id) || id < 0 || id >= this.size)
          throw new ValueError(`CharacterVocabulary.decode: id ${id} is not in [0, ${this.size})`);
        return this.characters[id];
      })
      .join('');
  }
}

/** Sequences of ids [batch][time] → one-hot [batch, time, classes]. All sequences must have one length. */
export function oneHotSequences(sequences: readonly (readonly number[])[], classes: number): Tensor {
  const batch = sequences.length;
  const time = batch === 0 ? 0 : sequences[0].length;
  const data = new Float64Array(batch * time * classes);
  sequences.forEach((sequence, b) => {
    if (sequence.length !== time)
      throw new ValueError(`oneHotSequences: sequence ${b} has ${sequence.length} steps, sequence 0 has ${time}`);
    sequence.forEach((id, t) => {
      if (!Number.isInteger(id) || id < 0 || id >= classes)
        throw new ValueError(`oneHotSequences: id ${id} at [${b}, ${t}] is not an integer in [0, ${classes})`);
      data[(b * time + t) * classes + id] = 1;
    });
  });
  return new Tensor([batch, time, classes], data);
}

/**
 * Windows of an encoded text for next-character prediction: for each start s the input is
 * ids[s … s+length−1] and the target ids[s+1 … s+length], both one-hot [batch, length, classes].
 */
export function characterBatch(
  ids: readonly number[],
  starts: readonly number[],
  length: number,
  classes: number,
): { x: Tensor; y: Tensor } {
  if (!Number.isInteger(length) || length <= 0)
    throw new ValueError(`characterBatch: length must be a positive integer, got ${length}`);
  for (const start of starts) {
    if (!Number.isInteger(start) || start < 0 || start + length >= ids.length) {
      throw new ValueError(
        `characterBatch: a window of ${length} (+1 target) starting at ${start} does not fit a text of ${ids.length} characters`,
      );
    }
  }
  return {
    x: oneHotSequences(
      starts.map((s) => ids.slice(s, s + length)),
      classes,
    ),
    y: oneHotSequences(
      starts.map((s) => ids.slice(s + 1, s + length + 1)),
      classes,
    ),
  };
}

/**
 * The opening of Lewis Carroll's "Alice's Adventures in Wonderland" (1865), chapter I, shipped as
 * data/alice-chapter-1.txt (public domain; see data/README.md). About 4,000 characters.
 */
export function loadAliceText(): string {
  return readDataFile('alice-chapter-1.txt');
}
