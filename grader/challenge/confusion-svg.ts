import Handlebars from 'handlebars';

/**
 * The confusion matrix as a picture for report.html: an inline SVG heat map, rows the true classes and
 * columns the predicted ones (counts[actual][predicted], framework/metrics/confusion-matrix.ts). A cell's
 * colour is its share of its row (white 0 → dark blue 1: the diagonal is each class's recall, an off-diagonal
 * cell how often that class is taken for another), its count is written in it, and its <title> says it in
 * words for a screen reader or a hover. Every string that goes into the markup is escaped here; the
 * report's Content-Security-Policy (no scripts, no external resources) allows inline SVG as it is.
 */
/** Handlebars' own escaper, as the report templates use: &, <, >, ", ', ` and = as entities. */
const { escapeExpression } = Handlebars.Utils;

const CELL = 34;
const LABEL_WIDTH = 96;
const HEADER_HEIGHT = 96;
/** Room right of the last column for its slanted label, which leans out to the right. */
const RIGHT_MARGIN = 64;

/** White → #1d4ed8 by share in [0, 1]. */
function shade(share: number): string {
  const mix = (from: number, to: number): number => Math.round(from + (to - from) * Math.min(1, Math.max(0, share)));
  return `rgb(${mix(255, 29)},${mix(255, 78)},${mix(255, 216)})`;
}

export function confusionMatrixSvg(counts: ReadonlyArray<readonly number[]>, classNames: readonly string[]): string {
  const classes = counts.length;
  if (classNames.length !== classes || counts.some((row) => row.length !== classes)) {
    throw new RangeError(
      `confusionMatrixSvg: a ${classes}-row matrix needs ${classes} columns per row and ${classes} class names, got ${classNames.length} names`,
    );
  }
  const width = LABEL_WIDTH + classes * CELL + RIGHT_MARGIN;
  const height = HEADER_HEIGHT + classes * CELL + 8;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="confusion-matrix" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    '<title>Confusion matrix: rows are the true classes, columns the predicted classes</title>',
  ];
  classNames.forEach((name, k) => {
    const label = escapeExpression(name);
    const x = LABEL_WIDTH + k * CELL + CELL / 2;
    parts.push(
      `<text x="${x}" y="${HEADER_HEIGHT - 6}" transform="rotate(-55 ${x} ${HEADER_HEIGHT - 6})">${label}</text>`,
    );
    parts.push(
      `<text x="${LABEL_WIDTH - 6}" y="${HEADER_HEIGHT + k * CELL + CELL / 2 + 4}" text-anchor="end">${label}</text>`,
    );
  });
  counts.forEach((row, actual) => {
    const total = row.reduce((sum, c) => sum + c, 0);
    row.forEach((count, predicted) => {
      const share = total === 0 ? 0 : count / total;
      const x = LABEL_WIDTH + predicted * CELL;
      const y = HEADER_HEIGHT + actual * CELL;
      const words = `${escapeExpression(classNames[actual])} predicted as ${escapeExpression(classNames[predicted])}: ${count} of ${total}`;
      parts.push(
        `<g class="cell" data-actual="${actual}" data-predicted="${predicted}"><title>${words}</title>` +
          `<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${shade(share)}" stroke="#fff"/>` +
          `<text x="${x + CELL / 2}" y="${y + CELL / 2 + 4}" text-anchor="middle" fill="${share > 0.5 ? '#fff' : '#1d1d1f'}">${count}</text></g>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
