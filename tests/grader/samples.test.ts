import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultJobs, gradeBatch, outputFolderName, type BatchResult } from '../../grader/batch.js';
import { buildSamples, listRecipes, submissionNameOf } from '../../grader/samples/build-samples.js';
import { reportErrors } from '../../grader/report/validate-report.js';
import { course } from '../../course/course.js';
import { expectChallenge } from './challenge-expectations.js';
import { allCases, batchOptions, kitRoot, MACHINERY_EXERCISES, temporaryFolder } from './helpers.js';
import type { Report } from '../../grader/report/report-types.js';

/**
 * Grades every bundled sample (reference, stubs, half-done, broken and hostile) in ONE batch and checks
 * each against the outcome its recipe (grader/samples/<name>/sample.json) promises. A TCP server on
 * 127.0.0.1:47391 gives the network sample something to reach if the sandbox let it.
 */
const recipes = listRecipes(kitRoot);
let result: BatchResult;
let out: string;
let server: Server;
const reports = new Map<string, Report>();

beforeAll(async () => {
  server = createServer((socket) => socket.end('hello from outside the sandbox\n'));
  // If another run on this machine holds the port, something is listening there all the same, so a
  // sandbox that let the sample out would still be caught: go on without our own server.
  await new Promise<void>((resolve, reject) =>
    server
      .once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve() : reject(error)))
      .listen(47391, '127.0.0.1', () => resolve()),
  );
  const root = temporaryFolder('samples');
  const submissions = await buildSamples(kitRoot, path.join(root, 'submissions'));
  out = path.join(root, 'out');
  result = await gradeBatch(
    batchOptions(submissions, out, {
      // Twice the cores: a third of the samples spend their time waiting for a time limit (loops, promises
      // that never settle, Atomics.wait), and Exercise 1's checks are light enough to share a core.
      jobs: 2 * defaultJobs(),
      gradescope: true,
      handoutBase: 'https://course.example/dlkit',
    }),
  );
  for (const report of result.reports) reports.set(report.student.id, report);
}, 600_000);

afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function reportOf(name: string): Report {
  const recipe = recipes.find((r) => r.name === name)?.recipe;
  const report = recipe ? reports.get(submissionNameOf(name, recipe)) : undefined;
  if (!report) throw new Error(`no report for sample ${name}`);
  return report;
}

describe('grader samples', () => {
  it('grades every sample in a real sandbox and completes the batch', () => {
    expect(
      result.isolation.mode,
      `sandbox warnings: ${result.isolation.warnings.join('; ')}; run scripts/setup-grader.sh`,
    ).not.toBe('none');
    expect(result.isolation.prlimit).toBe(true);
    expect(result.reports.map((r) => r.student.id).sort()).toEqual(
      recipes.map((r) => submissionNameOf(r.name, r.recipe)).sort(),
    );
  });

  it('writes reports that validate against the schema, with every companion file', () => {
    for (const report of result.reports) {
      expect(reportErrors(report), report.student.id).toEqual([]);
      const folder = path.join(out, 'students', outputFolderName(report.student.id));
      const written: unknown = JSON.parse(readFileSync(path.join(folder, 'report.json'), 'utf8'));
      expect(reportErrors(written)).toEqual([]);
      for (const file of ['report.html', 'report.md', 'results.json'])
        expect(existsSync(path.join(folder, file)), `${folder}/${file}`).toBe(true);
    }
    expect(existsSync(path.join(out, 'gradebook.csv'))).toBe(true);
    expect(existsSync(path.join(out, 'summary.html'))).toBe(true);
  });

  for (const { name, recipe } of recipes) {
    it(`${name}: ${recipe.description}`, () => {
      const report = reportOf(name);
      const cases = allCases(report);
      const { expect: expectation } = recipe;
      if (expectation.total === 'full')
        expect(report.total.final.earned, JSON.stringify(cases.filter((c) => c.status !== 'passed'))).toBe(
          report.total.final.possible,
        );
      if (expectation.total === 'zero') expect(report.total.final.earned).toBe(0);
      if (typeof expectation.total === 'number') expect(report.total.final.earned).toBe(expectation.total);
      for (const [component, outcome] of Object.entries(expectation.components ?? {})) {
        const mine = cases.filter((c) => c.component === component);
        expect(mine.length, `${component} has cases`).toBeGreaterThan(0);
        const statuses = mine.map((c) => `${c.id}: ${c.status} ${c.reason}`);
        if (outcome === 'full')
          expect(
            mine.every((c) => c.status === 'passed'),
            statuses.join('\n'),
          ).toBe(true);
        else
          expect(
            mine.every((c) => c.status !== 'passed' && c.earned === 0),
            statuses.join('\n'),
          ).toBe(true);
      }
      for (const [key, status] of Object.entries(expectation.cases ?? {})) {
        // `Component/<start of a check id>`: some check of the component whose id starts so has the status.
        const [component, prefix] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
        const matching = cases.filter((c) => c.component === component && c.id.startsWith(prefix));
        expect(matching.length, `checks ${key}`).toBeGreaterThan(0);
        const wanted = status.split('|');
        expect(
          matching.some((c) => wanted.includes(c.status)),
          `${key}: ${matching.map((c) => `${c.id}: ${c.status} ${c.reason}`).join(' / ')}`,
        ).toBe(true);
      }
      for (const [component, text] of Object.entries(expectation.reasons ?? {})) {
        const reasons = cases.filter((c) => c.component === component).map((c) => c.reason);
        const alternatives = text.split('|');
        expect(
          reasons.some((r) => alternatives.some((a) => r.includes(a))),
          `${component}: ${reasons.join(' / ')}`,
        ).toBe(true);
      }
      // The challenge's expectations hold where its exercise was graded (challenge-samples.test.ts grades it).
      if (expectation.challenge && report.challenge)
        expectChallenge(report, expectation.challenge, [...reports.values()]);
      for (const text of expectation.ignored ?? []) {
        expect(
          report.files.ignored.some((i) => `${i.path} ${i.reason}`.includes(text)),
          JSON.stringify(report.files.ignored),
        ).toBe(true);
      }
    });
  }

  it('every expected test starts as not run and only a comparison scores: no points without a passed case', () => {
    for (const report of result.reports) {
      for (const c of allCases(report)) {
        if (c.status !== 'passed') expect(c.earned).toBe(0);
        else expect(c.earned).toBe(c.possible);
      }
    }
  });

  it('shows hidden tests by name, result and points only: never their inputs or values', () => {
    for (const report of result.reports) {
      for (const c of allCases(report).filter((x) => x.visibility === 'hidden')) {
        expect(c.detail).toBeUndefined();
        expect(c.reason).not.toMatch(/\d\.\d|\[\d/); // no numbers or shapes from the hidden inputs
      }
    }
    const hardcoded = allCases(reportOf('hostile-hardcoded-public'));
    expect(hardcoded.find((c) => c.id.startsWith('rerun-forward-and-backward'))?.reason).toBe(
      'wrong result (hidden test: the details are withheld; run the public tests to find the mistake)',
    );
  });

  it("shows public failures with expected and received values: the check's own message, as npm test prints it", () => {
    const nan = allCases(reportOf('hostile-nan')).find(
      (c) => c.component === 'SoftMax' && c.id.startsWith('reproduces-the-softmax-table'),
    );
    expect(nan?.reason).toMatch(/is NaN, expected 0\.\d+/);
    expect(nan?.reason).toMatch(/received: \[NaN, NaN/);
  });

  it('escapes every student-derived string in report.html and report.md', () => {
    const report = reportOf('hostile-injection');
    const folder = path.join(out, 'students', outputFolderName(report.student.id));
    const html = readFileSync(path.join(folder, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b>notes/);
    expect(html).toContain('&lt;script&gt;alert(&quot;message&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    const markdown = readFileSync(path.join(folder, 'report.md'), 'utf8');
    expect(markdown).not.toMatch(/<script|<img|<b>/);
    const summary = readFileSync(path.join(out, 'summary.html'), 'utf8');
    expect(summary).not.toMatch(/<script|<img/);
  });

  it('keeps reports and the log inert and small whatever the student id, messages and output hold (issue 17, item 8)', () => {
    const report = reportOf('hostile-control-chars');
    expect(report.student.id).toContain('\u001b[2J');
    const folder = path.join(out, 'students', outputFolderName(report.student.id));
    for (const file of ['report.md', 'report.html', 'report.json', 'sandbox.log', 'results.json']) {
      const text = readFileSync(path.join(folder, file), 'utf8');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the output must hold no raw control characters
      expect(text, file).not.toMatch(/[\u0000\u0007\u001b\r]/);
      expect(text.length, file).toBeLessThan(100_000);
    }
    expect(readFileSync(path.join(folder, 'sandbox.log'), 'utf8')).toContain('\\x1b[2J');
    for (const c of allCases(report)) expect(c.reason.length, c.id).toBeLessThan(1200);
    expect(allCases(report).some((c) => c.component === 'ReLU' && /characters in all\)$/.test(c.reason))).toBe(true);
  });

  it('writes a gradebook with one row per student and no live formula', () => {
    const lines = readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trimEnd().split('\r\n');
    const exercises = course.exercises.filter((e) => MACHINERY_EXERCISES.includes(e.id)).map((e) => e.id);
    expect(lines[0]).toBe(
      ['student', 'declared_id', ...exercises, 'public', 'hidden', 'total', 'possible', 'percent'].join(','),
    );
    expect(lines.length).toBe(1 + recipes.length);
    const injected = lines.find((line) => line.includes('HYPERLINK')) as string;
    expect(injected.startsWith('"\'=HYPERLINK(')).toBe(true);
    for (const line of lines.slice(1)) expect(line).not.toMatch(/(^|,)[=+\-@]/);
    const reference = reportOf('reference');
    const perExercise = reference.exercises.map((e) => e.final.earned);
    expect(perExercise[0]).toBe(150); // ex1's public and hidden points
    const { total } = reference;
    expect(total.final.earned).toBe(total.final.possible);
    expect(lines).toContain(
      [
        'reference',
        'reference',
        ...perExercise,
        total.public.earned,
        total.hidden.earned,
        total.final.earned,
        total.final.possible,
        100,
      ].join(','),
    );
  });

  it('writes a Gradescope results.json per student', () => {
    const results = JSON.parse(readFileSync(path.join(out, 'students', 'half-done', 'results.json'), 'utf8')) as {
      score: number;
      tests: Array<{ max_score: number; visibility: string }>;
    };
    expect(results.score).toBe(reportOf('half-done').total.final.earned);
    expect(results.tests.length).toBe(allCases(reportOf('half-done')).length);
    expect(results.tests.some((t) => t.visibility === 'after_published')).toBe(true);
  });

  it('summarises the class: score distribution and the tests most students fail', () => {
    const summary = readFileSync(path.join(out, 'summary.html'), 'utf8');
    expect(summary).toContain(`<span id="student-count">${recipes.length}</span>`);
    expect(summary).toContain('Tests most students fail');
    expect(summary).toMatch(/output-is-max|ReLU/);
  });
});
