import { describe, expect, it } from 'vitest';
import { csvCell, gradebookCsv } from '../../grader/report/class-outputs.js';
import { markdownText } from '../../grader/report/render.js';
import { reportErrors } from '../../grader/report/validate-report.js';
import { matchOwnedFiles } from '../../grader/submissions/match.js';
import { unsafeEntryName } from '../../grader/submissions/zip.js';
import { latePenalty } from '../../grader/scoring/late-policy.js';
import type { Report } from '../../grader/report/report-types.js';

describe('grader outputs', () => {
  it('neutralises spreadsheet formulas in CSV cells', () => {
    for (const formula of ['=1+2', '+1', '-1+1', '@SUM(A1)', '\tx', '\rx'])
      expect(csvCell(formula).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
    expect(csvCell('alice')).toBe('alice');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(-1.5)).toBe('-1.5'); // numbers are numbers, not formulas
  });

  it('makes Markdown inert', () => {
    expect(markdownText('<script>x</script> [a](b) *c*')).toBe('&lt;script&gt;x&lt;/script&gt; \\[a\\]\\(b\\) \\*c\\*');
  });

  it('refuses zip entry names that climb out, are absolute or use backslashes', () => {
    expect(unsafeEntryName('exercises/layers/fully-connected.ts')).toBeUndefined();
    expect(unsafeEntryName('../x.ts')).toMatch(/climbs out/);
    expect(unsafeEntryName('exercises/../../x.ts')).toMatch(/climbs out/);
    expect(unsafeEntryName('/etc/passwd')).toMatch(/absolute/);
    expect(unsafeEntryName('C:/x.ts')).toMatch(/absolute/);
    expect(unsafeEntryName('a\\..\\x.ts')).toMatch(/backslash/);
  });

  it('matches LMS uploads to owned files by the longest path suffix', () => {
    const owned = ['layers/fully-connected.ts', 'activations/relu.ts', 'kernels/relu.ts'];
    const result = matchOwnedFiles(
      [
        'alice/fully-connected.ts',
        'alice/activations/relu.ts',
        'alice/relu.ts',
        'alice/notes.txt',
        'exercises/layers/fully-connected.ts',
      ],
      owned,
    );
    expect([...result.accepted]).toEqual([
      ['layers/fully-connected.ts', 'exercises/layers/fully-connected.ts'],
      ['activations/relu.ts', 'alice/activations/relu.ts'],
    ]);
    const reasons = Object.fromEntries(result.ignored.map((i) => [i.path, i.reason]));
    expect(reasons['alice/relu.ts']).toMatch(/ambiguous/);
    expect(reasons['alice/notes.txt']).toMatch(/not a file the course lets/);
    expect(reasons['alice/fully-connected.ts']).toMatch(/second copy/);
  });

  it('applies the late policy per started day after the grace period, capped', () => {
    const policy = { percentPerDay: 10, maxPercent: 30, graceMinutes: 15 };
    const due = '2026-03-01T12:00:00Z';
    expect(latePenalty(new Date('2026-03-01T12:10:00Z'), due, policy)).toEqual({ daysLate: 0, penalty: 0 });
    expect(latePenalty(new Date('2026-03-01T12:20:00Z'), due, policy)).toEqual({ daysLate: 1, penalty: 0.1 });
    expect(latePenalty(new Date('2026-03-03T13:00:00Z'), due, policy)).toEqual({ daysLate: 3, penalty: 0.3 });
    expect(latePenalty(new Date('2026-03-20T13:00:00Z'), due, policy).penalty).toBe(0.3);
    expect(latePenalty(new Date('2026-03-20T13:00:00Z'), undefined, policy)).toEqual({ daysLate: 0, penalty: 0 });
  });

  it('rejects reports that break the schema', () => {
    expect(reportErrors({ schema: 'dlkit-grader-report', version: 1 }).length).toBeGreaterThan(0);
    expect(gradebookCsv([] as Report[])).toBe('student,declared_id,public,hidden,total,possible,percent\r\n');
  });
});
