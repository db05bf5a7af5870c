import { Rng } from '../framework/index.js';
import { LSTM } from '../solutions/layers/lstm.js';
import { GRU } from '../solutions/layers/gru.js';
import { RNN } from '../solutions/layers/rnn.js';
import { MEMORY_TASK, trainOnMemoryTask, memoryTaskAccuracy } from '../tests/helpers/recurrent-training.js';
import { throughWire } from '../tests/harness/plain-data.js';
const configs = JSON.parse(process.argv[2]);
for (const c of configs) {
  const { kind, ...opts } = c;
  const t = performance.now();
  const mk = () => {
    const a = { inputSize: MEMORY_TASK.symbols + 1, hiddenSize: opts.hiddenSize ?? MEMORY_TASK.hiddenSize, outputSize: MEMORY_TASK.symbols, rng: new Rng(opts.seed ?? MEMORY_TASK.seed) };
    if (kind === 'lstm') { const l = new LSTM(a); const b = l.b.value.clone(); for (let j = l.hiddenSize; j < 2 * l.hiddenSize; j++) b.data[j] = opts.fb ?? 3; l.b.assign(b); return l; }
    if (kind === 'gru') return new GRU(a);
    return new RNN(a);
  };
  const { fb, ...o2 } = opts;
  const r = trainOnMemoryTask(mk(), o2);
  console.log(kind, JSON.stringify(opts), 'acc', memoryTaskAccuracy(throughWire(r) as any, kind).toFixed(3), (performance.now() - t).toFixed(0), 'ms');
}
