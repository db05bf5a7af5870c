import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CHALLENGE_ACCURACY,
  CHALLENGE_CAPS,
  ChallengeWeightsError,
  countParameters,
  isPlaceholderWeights,
  loadChallengeWeights,
  Parameter,
  placeholderWeightsText,
  zeros,
} from '../../framework/index.js';

/** A stand-in network: two parameters of sizes 6 and 3; fromJSON accepts only { ok: true }. */
function stubNetwork() {
  const loaded: unknown[] = [];
  return {
    loaded,
    parameters: () => [new Parameter('weight', zeros([2, 3]), 'weight'), new Parameter('bias', zeros([3]), 'bias')],
    fromJSON(json: unknown) {
      if ((json as { ok?: boolean }).ok !== true)
        throw new Error('loadWeights: the file has 4 layers, the network has 5');
      loaded.push(json);
    },
  };
}

describe('framework challenge weights', () => {
  it("counts the parameters as the cap does: the sum of the parameters' sizes", () => {
    expect(countParameters(stubNetwork())).toBe(9);
  });

  it('loads weights that fit, and refuses the placeholder and a misfit file with a message that says to retrain', () => {
    const network = stubNetwork();
    loadChallengeWeights(network, { ok: true }, 'exercises/challenge/weights.json');
    expect(network.loaded).toEqual([{ ok: true }]);
    const placeholder = JSON.parse(placeholderWeightsText());
    expect(isPlaceholderWeights(placeholder)).toBe(true);
    expect(isPlaceholderWeights({ format: 'dlkit-weights', version: 1, layers: [] })).toBe(false);
    expect(() => loadChallengeWeights(network, placeholder, 'exercises/challenge/weights.json')).toThrow(
      ChallengeWeightsError,
    );
    expect(() => loadChallengeWeights(network, placeholder, 'exercises/challenge/weights.json')).toThrow(
      /exercises\/challenge\/weights.json: .*no trained weights yet: run `npm run challenge:train`/,
    );
    expect(() => loadChallengeWeights(network, { ok: false }, 'w.json')).toThrow(
      /w.json does not fit the network challenge\/model.ts builds \(loadWeights: the file has 4 layers, the network has 5\).*Retrain with `npm run challenge:train`/,
    );
  });

  it('the handout ships the placeholder, never the reference weights (npm run stubs writes it)', () => {
    expect(readFileSync(new URL('../../exercises/challenge/weights.json', import.meta.url), 'utf8')).toBe(
      placeholderWeightsText(),
    );
  });

  it('the caps and thresholds are ordered and plausible', () => {
    expect(CHALLENGE_ACCURACY.baseline).toBeLessThan(CHALLENGE_ACCURACY.strong);
    expect(CHALLENGE_ACCURACY.strong).toBeLessThan(1);
    // JSON costs at most ~25 bytes per float64: a model at the parameter cap must fit the size cap.
    expect(CHALLENGE_CAPS.parameters * 25).toBeLessThanOrEqual(CHALLENGE_CAPS.weightsBytes);
  });
});
