import { describe, expect, it } from 'vitest';
import {
  DlkitError,
  loadWeights,
  parameterKeys,
  Rng,
  saveWeights,
  type Layer,
  type SavedWeights,
} from '../../framework/index.js';
import { ParameterHolder } from '../helpers/parameter-holder.js';

/**
 * framework/io/weights.ts: saveWeights / loadWeights of layers whose parameter names repeat. A
 * ResidualBlock lists its body's parameters (issue 12: a body of two Convs gives weight, bias, weight,
 * bias), and keying them by name alone stored only the last of each, so a block could not be saved.
 * The layers here are test doubles (framework tests never use a student's code).
 */

/** A block like ResidualBlock(Conv(3→4, 1×1), ReLU, Conv(4→3, 3×3)): two weights and two biases, then a dense layer. */
function blockNetwork(seed: number): Layer[] {
  const rng = new Rng(seed);
  return [
    ParameterHolder.drawn(
      'ResidualBlock',
      [
        ['weight', [4, 3, 1, 1]],
        ['bias', [4]],
        ['weight', [3, 4, 3, 3]],
        ['bias', [3]],
      ],
      rng,
    ),
    ParameterHolder.drawn(
      'FullyConnected',
      [
        ['weight', [3, 2]],
        ['bias', [2]],
      ],
      rng,
    ),
  ];
}

const values = (layers: readonly Layer[]): number[][] =>
  layers.flatMap((layer) => layer.parameters().map((p) => Array.from(p.value.data)));

describe('framework saveWeights / loadWeights with repeated parameter names', () => {
  it('parameterKeys: a repeated name becomes name#1, name#2, … in order; a name used once stays as it is', () => {
    expect(parameterKeys(['weight', 'bias', 'weight', 'bias', 'scale'])).toEqual([
      'weight#1',
      'bias#1',
      'weight#2',
      'bias#2',
      'scale',
    ]);
    expect(parameterKeys(['weight', 'bias'])).toEqual(['weight', 'bias']);
    expect(parameterKeys([])).toEqual([]);
  });

  it('a block with two weights and two biases, saved through JSON and loaded into a fresh network, gets every parameter back bit for bit', () => {
    const trained = blockNetwork(1);
    const text = JSON.stringify(saveWeights(trained));
    const saved = JSON.parse(text) as SavedWeights;
    expect(Object.keys(saved.layers[0].parameters), 'the block’s keys in the file').toEqual([
      'weight#1',
      'bias#1',
      'weight#2',
      'bias#2',
    ]);
    expect(Object.keys(saved.layers[1].parameters), 'a layer with distinct names is stored as before').toEqual([
      'weight',
      'bias',
    ]);
    const fresh = blockNetwork(2);
    expect(values(fresh), 'the fresh network must start with other weights').not.toEqual(values(trained));
    loadWeights(fresh, JSON.parse(text));
    // Each parameter separately, so the first weight cannot have been overwritten by the second.
    const [want, got] = [values(trained), values(fresh)];
    want.forEach((w, p) => {
      expect(got[p], `parameter ${p} in parameters() order after loading`).toEqual(w);
    });
  });

  it('a file that lacks the second weight of a block is refused, naming it, and the network keeps its weights', () => {
    const saved = JSON.parse(JSON.stringify(saveWeights(blockNetwork(1)))) as SavedWeights;
    delete saved.layers[0].parameters['weight#2'];
    const target = blockNetwork(3);
    const before = values(target);
    expect(() => loadWeights(target, saved)).toThrow(DlkitError);
    expect(() => loadWeights(target, saved)).toThrow(
      "loadWeights: layer 0 (ResidualBlock): 'weight#2' is missing from the file",
    );
    expect(values(target), 'nothing is written when the file does not fit').toEqual(before);
  });

  it('a file written before the fix (plain names, each used once) still loads', () => {
    const layers = [
      ParameterHolder.drawn(
        'FullyConnected',
        [
          ['weight', [2, 2]],
          ['bias', [2]],
        ],
        new Rng(4),
      ),
    ];
    const old = {
      format: 'dlkit-weights',
      version: 1,
      layers: [
        {
          name: 'FullyConnected',
          parameters: { weight: { shape: [2, 2], data: [1, 2, 3, 4] }, bias: { shape: [2], data: [5, 6] } },
          buffers: {},
        },
      ],
    };
    loadWeights(layers, old);
    expect(values(layers)).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
  });
});
