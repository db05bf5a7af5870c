import { Region } from '@dodona/dolos-core';

/**
 * A file as the similarity index sees it: a stream of tokens and, for each token, where it is in the
 * text (rows and columns from 0, end exclusive), so a shared fragment can be shown with its lines.
 */
export interface Tokens {
  readonly tokens: string[];
  readonly mapping: Region[];
}

/** What every student-chosen name becomes: renaming a variable must not hide a copy. */
export const NAME_TOKEN = '$name';
/** What every string becomes: rewording an error message must not hide a copy either. */
export const STRING_TOKEN = '$string';

/** Row and column of character offsets in `text`; fastest for offsets given in increasing order. */
export function positionFinder(text: string): (offset: number) => { row: number; col: number } {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  let row = 0;
  return (offset) => {
    if (offset < lineStarts[row]) row = 0;
    while (row + 1 < lineStarts.length && lineStarts[row + 1] <= offset) row++;
    return { row, col: offset - lineStarts[row] };
  };
}

/** The region of characters [start, end) of the text that `at` describes. */
export function regionOf(at: (offset: number) => { row: number; col: number }, start: number, end: number): Region {
  const from = at(start);
  const to = at(Math.max(start, end - 1));
  return new Region(from.row, from.col, to.row, to.col + 1);
}
