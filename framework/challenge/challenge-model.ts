import { DlkitError } from '../errors.js';
import { isPlaceholderWeights, PLACEHOLDER_MESSAGE } from './placeholder-weights.js';

/** What the challenge needs of a submitted network: its parameters, predictions and weights. */
export interface ChallengeNetwork {
  parameters(): readonly { readonly value: { readonly size: number } }[];
  fromJSON(json: unknown): void;
}

/** Thrown when a weights file is the placeholder or does not fit the model: says what to do. */
export class ChallengeWeightsError extends DlkitError {}

/** Trainable parameters: Σ over `network.parameters()` of their sizes (the cap counts these; buffers such as BatchNorm's running statistics are not counted). */
export function countParameters(network: ChallengeNetwork): number {
  return network.parameters().reduce((total, parameter) => total + parameter.value.size, 0);
}

/**
 * Loads `json` (a parsed challenge/weights.json) into `network`; `where` names the file in messages.
 * The placeholder of a fresh handout and a file that does not fit the model (trained before the
 * model changed, or for another model) become a ChallengeWeightsError saying to retrain.
 */
export function loadChallengeWeights(network: ChallengeNetwork, json: unknown, where: string): void {
  if (isPlaceholderWeights(json)) throw new ChallengeWeightsError(`${where}: ${PLACEHOLDER_MESSAGE}`);
  try {
    network.fromJSON(json);
  } catch (error) {
    if (!(error instanceof Error) || error.name === 'NotImplementedError') throw error;
    throw new ChallengeWeightsError(
      `${where} does not fit the network challenge/model.ts builds (${error.message}): were the weights trained for another model? Retrain with \`npm run challenge:train\` after every change of the model`,
    );
  }
}
