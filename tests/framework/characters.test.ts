import { describe, expect, it } from 'vitest';
import {
  CharacterVocabulary,
  characterBatch,
  loadAliceText,
  oneHotSequences,
  ValueError,
} from '../../framework/index.js';

describe('framework characters', () => {
  it('builds a sorted vocabulary and round-trips encode/decode (the seed\'s "hello", 004: 5985)', () => {
    const vocabulary = CharacterVocabulary.fromText('hello');
    expect(vocabulary.characters).toEqual(['e', 'h', 'l', 'o']);
    expect(vocabulary.encode('hello')).toEqual([1, 0, 2, 2, 3]);
    expect(vocabulary.decode([1, 0, 2, 2, 3])).toBe('hello');
    expect(() => vocabulary.encode('help')).toThrow(/"p" at position 3/);
  });

  it('one-hot windows with the next character as target', () => {
    const ids = [1, 0, 2, 2, 3];
    const { x, y } = characterBatch(ids, [0, 1], 3, 4);
    expect(x.shape).toEqual([2, 3, 4]);
    expect(x.toArray()).toEqual(
      oneHotSequences(
        [
          [1, 0, 2],
          [0, 2, 2],
        ],
        4,
      ).toArray(),
    );
    expect(y.toArray()).toEqual(
      oneHotSequences(
        [
          [0, 2, 2],
          [2, 2, 3],
        ],
        4,
      ).toArray(),
    );
    expect(() => characterBatch(ids, [2], 3, 4)).toThrow(ValueError);
  });

  it('ships the Alice text', () => {
    const text = loadAliceText();
    expect(text.startsWith('CHAPTER I. Down the Rabbit-Hole')).toBe(true);
    expect(text.length).toBeGreaterThan(3000);
    expect(CharacterVocabulary.fromText(text).size).toBeLessThan(80);
  });
});
