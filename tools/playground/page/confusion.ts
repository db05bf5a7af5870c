/** The confusion matrix on the validation set as a table (rows: true class, columns: predicted), shaded by row share. */
export function drawConfusion(table: HTMLTableElement, counts: number[][], classNames: readonly string[]): void {
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  head.append(Object.assign(document.createElement('th'), { textContent: 'true ↓ / predicted →' }));
  for (const name of classNames) head.append(Object.assign(document.createElement('th'), { textContent: name }));
  const body = table.createTBody();
  counts.forEach((row, i) => {
    const tr = body.insertRow();
    tr.append(Object.assign(document.createElement('th'), { textContent: classNames[i] }));
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((count, j) => {
      const cell = tr.insertCell();
      cell.textContent = String(count);
      const share = count / total;
      cell.style.background = i === j ? `rgba(44, 160, 44, ${share})` : `rgba(214, 39, 40, ${share})`;
    });
  });
}
