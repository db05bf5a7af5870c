/**
 * Exercise 4's example: a character-level language model (the seed's "hello" model, 004: 5981–6003,
 * on a real text) trained on the opening of Alice's Adventures in Wonderland, from the reference
 * solution. Prints the loss as it falls, then text sampled greedily, at random and with temperature.
 *
 *   npm run example:char        (or: npx tsx scripts/train-char-model.ts --model rnn --iterations 600)
 */
import { parseArgs } from 'node:util';
import {
  CharacterVocabulary,
  characterBatch,
  clipGradNorm,
  loadAliceText,
  oneHotSequences,
  Rng,
  type Layer,
} from '../framework/index.js';
import { GRU } from '../solutions/layers/gru.js';
import { LSTM } from '../solutions/layers/lstm.js';
import { RNN } from '../solutions/layers/rnn.js';
import { SequenceCrossEntropyLoss } from '../solutions/losses/sequence-cross-entropy-loss.js';
import { Sgd } from '../solutions/optimizers/sgd.js';
import { sampleGreedy, sampleRandom, sampleWithTemperature } from '../solutions/sampling/sampling.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'lstm' },
    iterations: { type: 'string', default: '1000' },
    hidden: { type: 'string', default: '48' },
    length: { type: 'string', default: '24' },
    batch: { type: 'string', default: '16' },
    lr: { type: 'string', default: '1' },
    clip: { type: 'string', default: '1' },
    temperature: { type: 'string', default: '0.5' },
    seed: { type: 'string', default: '1' },
  },
});
const numbers = Object.fromEntries(
  Object.entries(values)
    .filter(([key]) => key !== 'model')
    .map(([key, value]) => [key, Number(value)]),
);
for (const [name, value] of Object.entries(numbers)) {
  if (!Number.isFinite(value) || value <= 0) {
    console.error(
      `train-char-model: --${name} must be a positive number, got '${values[name as keyof typeof values]}'`,
    );
    process.exit(2);
  }
}
const { iterations, hidden, length, batch, lr, clip, temperature, seed } = numbers;
const layers = { rnn: RNN, lstm: LSTM, gru: GRU } as const;
const Model = layers[values.model as keyof typeof layers];
if (!Model) {
  console.error(`train-char-model: --model must be one of ${Object.keys(layers).join(', ')}, got '${values.model}'`);
  process.exit(2);
}

const text = loadAliceText();
const vocabulary = CharacterVocabulary.fromText(text);
const ids = vocabulary.encode(text);
const rng = new Rng(seed);
const model = new Model({ inputSize: vocabulary.size, hiddenSize: hidden, outputSize: vocabulary.size, rng });
const loss = new SequenceCrossEntropyLoss();
const optimizer = new Sgd({ lr });

console.log(
  `${model.name} character model on Alice chapter I: ${ids.length} characters, vocabulary ${vocabulary.size} (a uniform guess scores ln ${vocabulary.size} = ${Math.log(vocabulary.size).toFixed(2)} nats)`,
);
console.log(
  `hidden ${hidden}, windows of ${length} characters, batch ${batch}, SGD lr ${lr}, gradients clipped to global norm ${clip}, seed ${seed}\n`,
);
const every = Math.max(1, Math.floor(iterations / 15));
let recent = 0;
for (let iteration = 1; iteration <= iterations; iteration++) {
  const starts = Array.from({ length: batch }, () => rng.int(ids.length - length - 1));
  const { x, y } = characterBatch(ids, starts, length, vocabulary.size);
  recent += loss.forward(model.forward(x), y);
  model.backward(loss.backward());
  clipGradNorm(model.parameters(), clip);
  optimizer.step(model.parameters());
  optimizer.zeroGrad(model.parameters());
  if (iteration % every === 0) {
    console.log(`iteration ${String(iteration).padStart(5)}  loss ${(recent / every).toFixed(3)} nats per character`);
    recent = 0;
  }
}

/** Runs the trained model one character at a time (stateful), starting from `prompt`. */
function generate(prompt: string, count: number, choose: (probabilities: Float64Array) => number): string {
  const layer: Layer & { stateful: boolean; resetState(): void } = model;
  layer.stateful = true;
  layer.resetState();
  let logits = layer.forward(oneHotSequences([vocabulary.encode(prompt)], vocabulary.size));
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const last = logits.data.subarray(logits.size - vocabulary.size);
    const largest = Math.max(...last);
    const exps = Float64Array.from(last, (z) => Math.exp(z - largest));
    const total = exps.reduce((a, b) => a + b, 0);
    const next = choose(exps.map((e) => e / total));
    out.push(next);
    logits = layer.forward(oneHotSequences([[next]], vocabulary.size));
  }
  layer.stateful = false;
  layer.resetState();
  return prompt + vocabulary.decode(out);
}

const sampler = new Rng(seed + 1);
console.log('\ngreedy (004: 6499):');
console.log(`  ${generate('Alice ', 160, sampleGreedy)}`);
console.log('random sampling (004: 6526):');
console.log(`  ${generate('Alice ', 160, (p) => sampleRandom(p, sampler))}`);
console.log(`temperature ${temperature} (004: 6534):`);
console.log(`  ${generate('Alice ', 160, (p) => sampleWithTemperature(p, temperature, sampler))}`);
