import type { ComponentScore, Scoreboard } from './score.js';

/**
 * The scoreboard as the text printed after a test run: per exercise a header and one line per
 * component (done, in progress, not started, crashed), the first failure of each component in
 * progress (what was expected, what came, where to read, the command that runs only it), and one
 * "Next" line naming the handout section and the files to fill in for the first component not started.
 * An exercise after that one that is not started at all is a single line, so a fresh handout fits on
 * one screen: the first exercise's components, then a line per exercise.
 */
export interface FormatOptions {
  /** Files (relative to exercises/) that still hold something to fill in; only those are named. */
  readonly holdsStub?: (file: string) => boolean;
  /** Print every failure of every component in full (one component ran, or DLKIT_TRACES=1). */
  readonly verbose?: boolean;
}

const statusMark: Record<ComponentScore['status'], string> = {
  done: '✓',
  'in progress': '◐',
  'not started': '○',
  crashed: '✗',
  'no tests': '·',
};

/** Points to two decimals, as the grader's report rounds them (trailing zeros dropped). */
const format = (value: number): string => String(Math.round(value * 100) / 100);

/** How many lines of a failure's message the compact view shows. */
const MESSAGE_LINES = 3;

export function formatScoreboard(board: Scoreboard, title: string, options: FormatOptions = {}): string {
  if (board.rows.length === 0 && board.unknownGroups.length === 0) return '';
  const nameWidth = Math.max(...board.rows.map((row) => row.component.name.length), 10);
  const lines = ['', title];
  const next = board.rows.find((row) => row.status === 'not started');
  for (const exerciseId of [...new Set(board.rows.map((row) => row.exercise.id))]) {
    const rows = board.rows.filter((row) => row.exercise.id === exerciseId);
    const earned = rows.reduce((sum, row) => sum + row.earned, 0);
    const available = rows.reduce((sum, row) => sum + row.component.points, 0);
    const header = `${exerciseId}  ${rows[0].exercise.title}: ${format(earned)} / ${available} points`;
    // A later exercise not started at all is one line: the first screen stays on the work at hand.
    if (!options.verbose && exerciseId !== next?.exercise.id && rows.every((row) => row.status === 'not started')) {
      lines.push('', `${header}, not started (${rows.length} components)`);
      continue;
    }
    lines.push('', header);
    for (const row of rows) lines.push(...componentLines(row, nameWidth, options));
  }
  if (next) lines.push('', `Next: ${nextStep(next, options)}`);
  const earned = board.rows.reduce((sum, row) => sum + row.earned, 0);
  const available = board.rows.reduce((sum, row) => sum + row.component.points, 0);
  const done = board.rows.filter((row) => row.status === 'done').length;
  lines.push(
    '',
    `total: ${format(earned)} / ${available} public points; ${done} of ${board.rows.length} components done`,
  );
  for (const group of board.unknownGroups)
    lines.push(`  ! tests in describe('${group}') match no component in course/course.ts: they are not scored`);
  return `${lines.join('\n')}\n`;
}

function componentLines(row: ComponentScore, nameWidth: number, options: FormatOptions): string[] {
  const label = `${row.exercise.id} ${row.component.name}`;
  const counts =
    row.status === 'crashed' || row.status === 'no tests' ? row.status : `${row.passed}/${row.total} checks`;
  const head = `  ${statusMark[row.status]} ${row.component.name.padEnd(nameWidth)}  ${counts.padEnd(14)}  ${format(row.earned)} / ${row.component.points}`;
  if (row.status === 'crashed') {
    return [
      head,
      ...row.crashes.map(
        (crash) =>
          `      ${crash.file} could not run (${crash.error.name}: ${crash.error.message}). Fix that first; see ${row.component.handout}`,
      ),
    ];
  }
  if (row.status !== 'in progress') return [head];
  const shown = options.verbose ? row.failures : row.failures.slice(0, 1);
  const lines = [head];
  for (const failure of shown) {
    const name = failure.fullName.split(' > ').slice(1).join(' › ');
    lines.push(`      ✗ ${name}`);
    const message = (failure.error?.message ?? '').split('\n').filter((line) => line.trim() !== '');
    const kept = options.verbose ? message : message.slice(0, MESSAGE_LINES);
    for (const line of kept)
      lines.push(
        `        ${failure.error?.name && line === message[0] ? `${failure.error.name}: ` : ''}${line.trim()}`,
      );
  }
  const more = row.failures.length - shown.length;
  lines.push(
    `        read ${row.component.handout}; ${more > 0 ? `${more} more failing; ` : ''}run only these: npm test -- -t "${label}"`,
  );
  return lines;
}

function nextStep(row: ComponentScore, options: FormatOptions): string {
  const files = row.component.files
    .filter((file) => options.holdsStub?.(file) ?? true)
    .map((file) => `exercises/${file}`);
  const what = files.length > 0 ? `then fill in ${files.join(', ')}` : `it runs your components of ${row.exercise.id}`;
  return `${row.exercise.id} ${row.component.name}: read ${row.component.handout}; ${what}.`;
}
