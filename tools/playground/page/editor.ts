import { layerKind, layerKinds } from './components.js';
import type { LayerSpec } from './network.js';

/**
 * The layer list: one row per hidden layer (kind, its number, remove), "add layer", and the fixed
 * output rows (FullyConnected to the classes, SoftMax) that the page appends itself.
 */
export class LayerEditor {
  #rows: LayerSpec[] = [];

  constructor(
    private readonly list: HTMLOListElement,
    private readonly onChange: () => void,
  ) {}

  get layers(): LayerSpec[] {
    return this.#rows.map((row) => ({ ...row }));
  }

  set layers(rows: LayerSpec[]) {
    this.#rows = rows.map((row) => ({ ...row }));
    this.render();
  }

  add(): void {
    this.#rows.push({ kind: 'ReLU', parameter: 0 });
    this.render();
    this.onChange();
  }

  render(): void {
    this.list.replaceChildren();
    this.#rows.forEach((row, index) => {
      const item = document.createElement('li');
      const kind = document.createElement('select');
      kind.className = 'layer-kind';
      for (const entry of layerKinds) kind.append(new Option(entry.kind, entry.kind, false, entry.kind === row.kind));
      kind.addEventListener('change', () => {
        const entry = layerKind(kind.value);
        this.#rows[index] = { kind: entry.kind, parameter: entry.parameter?.value ?? 0 };
        this.render();
        this.onChange();
      });
      item.append(kind);
      const parameter = layerKind(row.kind).parameter;
      if (parameter) {
        const input = Object.assign(document.createElement('input'), {
          type: 'number',
          min: String(parameter.min),
          max: String(parameter.max),
          step: String(parameter.step),
          value: String(row.parameter),
          title: parameter.label,
        });
        input.addEventListener('change', () => {
          const value = Math.min(parameter.max, Math.max(parameter.min, Number(input.value)));
          this.#rows[index] = { ...row, parameter: Number.isFinite(value) ? value : parameter.value };
          this.onChange();
        });
        item.append(
          input,
          Object.assign(document.createElement('span'), { className: 'unit', textContent: parameter.label }),
        );
      }
      const remove = Object.assign(document.createElement('button'), {
        type: 'button',
        textContent: '✕',
        title: 'remove this layer',
      });
      remove.addEventListener('click', () => {
        this.#rows.splice(index, 1);
        this.render();
        this.onChange();
      });
      item.append(remove);
      this.list.append(item);
    });
    for (const fixed of ['FullyConnected → classes', 'SoftMax (+ CrossEntropyLoss)']) {
      this.list.append(Object.assign(document.createElement('li'), { className: 'fixed', textContent: fixed }));
    }
  }
}
