import type { ComponentScore, Scoreboard } from './score.js';

/** How many "read next" lines one component may print before the rest are summarised. */
const linesPerComponent = 4;

const statusMark: Record<ComponentScore['status'], string> = {
  done: '✓ done',
  'in progress': '◐ in progress',
  'not started': '○ not started',
  crashed: '✗ crashed',
  'no tests': '· no tests',
};

/** Points to two decimals, as the grader's report rounds them (trailing zeros dropped). */
const format = (value: number): string => String(Math.round(value * 100) / 100);

/** The scoreboard table and the "read next" lines, as the text printed after vitest's summary. */
export function formatScoreboard(board: Scoreboard, title: string): string {
  if (board.rows.length === 0 && board.unknownGroups.length === 0) return '';
  const table: string[][] = [['exercise', 'component', 'tests', 'points', 'status']];
  for (const exerciseId of [...new Set(board.rows.map((row) => row.exercise.id))]) {
    const rows = board.rows.filter((row) => row.exercise.id === exerciseId);
    for (const row of rows) {
      table.push([row.exercise.id, row.component.name, `${row.passed}/${row.total}`, `${format(row.earned)}/${row.component.points}`, statusMark[row.status]]);
    }
    const earned = rows.reduce((sum, row) => sum + row.earned, 0);
    const available = rows.reduce((sum, row) => sum + row.component.points, 0);
    const passed = rows.reduce((sum, row) => sum + row.passed, 0);
    const total = rows.reduce((sum, row) => sum + row.total, 0);
    table.push(['', `total ${rows[0].exercise.title}`, `${passed}/${total}`, `${format(Math.round(earned * 100) / 100)}/${available}`, '']);
  }
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  const rule = widths.map((width) => '─'.repeat(width)).join('──');
  const lines = ['', title, rule, ...table.map((row, index) => {
    const text = row.map((cell, column) => (column === 2 || column === 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
    return index === 0 ? `${text}\n${rule}` : text;
  }), rule];
  const next = readNext(board);
  if (next.length > 0) lines.push('', 'Read next:', ...next.map((line) => `  ${line}`));
  for (const group of board.unknownGroups) lines.push(`  ! tests in describe('${group}') match no component in course/course.ts: they are not scored`);
  return `${lines.join('\n')}\n`;
}

function readNext(board: Scoreboard): string[] {
  const lines: string[] = [];
  for (const row of board.rows) {
    const { exercise, component } = row;
    const files = component.files.map((file) => `exercises/${file}`).join(', ');
    const label = `${exercise.id} ${component.name}`;
    if (row.status === 'not started') {
      const what = files ? `then fill in ${files}` : `it runs your components of ${exercise.id}`;
      lines.push(`○ ${label}: not started. Read ${component.handout}; ${what}.`);
    } else if (row.status === 'crashed') {
      for (const crash of row.crashes) lines.push(`✗ ${label}: ${crash.file} could not run (${crash.error.name}: ${crash.error.message}). Fix that first; see ${component.handout}.`);
    } else if (row.status === 'in progress') {
      const shown = row.failures.slice(0, linesPerComponent);
      for (const failure of shown) lines.push(`✗ ${failure.fullName.replace(/ > /g, ' › ')} (${failure.error?.name ?? 'failed'}): read ${component.handout}`);
      if (row.failures.length > shown.length) lines.push(`  … and ${row.failures.length - shown.length} more failing tests of ${label}: run them alone with npm test -- -t "${label}"`);
    }
  }
  return lines;
}
