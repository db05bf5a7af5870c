import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { inertText, MAX_NAME_CHARACTERS, MAX_REASON_CHARACTERS } from './inert-text.js';
import { confusionMatrixSvg } from '../challenge/confusion-svg.js';
import type { CaseReport, CaseStatus, ChallengeReport, Report } from './report-types.js';

/**
 * Renders a report for people: HTML through Handlebars (double-stash only, so every string from a
 * submission is escaped; the one triple-stash helper, `link`, builds its markup from escaped parts and
 * takes hrefs only from the course manifest) and Markdown (with the same strings made inert).
 */
export interface RenderOptions {
  /** Prefix for handout links, e.g. the URL where the course publishes docs/; empty: the path as text. */
  readonly handoutBase: string;
}

const statusLabels: Record<CaseStatus, string> = {
  passed: 'passed',
  wrong: 'wrong result',
  error: 'error',
  'not-implemented': 'not implemented',
  'does-not-compile': 'does not compile',
  timeout: 'timed out',
  crashed: 'crashed',
  'not-submitted': 'not submitted',
  'not-run': 'not run',
};

export function formatNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

function handlebars(options: RenderOptions): typeof Handlebars {
  const instance = Handlebars.create();
  instance.registerHelper('num', (value: number) => formatNumber(value));
  instance.registerHelper('percent', (value: number) => `${formatNumber(value * 100)}%`);
  instance.registerHelper('bytes', (value: number) => `${Math.round(value / 1048576)} MiB`);
  instance.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  instance.registerHelper('statusLabel', (status: CaseStatus) => statusLabels[status] ?? status);
  instance.registerHelper(
    'passedCount',
    (cases: readonly CaseReport[]) => cases.filter((c) => c.status === 'passed').length,
  );
  instance.registerHelper('add', (a: number, b: number) => formatNumber(a + b));
  instance.registerHelper(
    'passedTotal',
    (components: ReadonlyArray<{ cases: readonly CaseReport[] }>) =>
      components.flatMap((c) => c.cases).filter((c) => c.status === 'passed').length,
  );
  instance.registerHelper(
    'caseTotal',
    (components: ReadonlyArray<{ cases: readonly CaseReport[] }>) => components.flatMap((c) => c.cases).length,
  );
  // The challenge's confusion matrix as an inline SVG heat map, every string escaped by confusion-svg.ts.
  instance.registerHelper(
    'confusionSvg',
    (challenge: ChallengeReport) =>
      new instance.SafeString(
        challenge.confusionMatrix
          ? confusionMatrixSvg(
              challenge.confusionMatrix,
              challenge.classes.map((c) => c.name),
            )
          : '',
      ),
  );
  instance.registerHelper('orDash', (value: number | null) =>
    value === null || value === undefined ? '—' : formatNumber(value),
  );
  instance.registerHelper('link', (handout: string) => {
    const text = instance.escapeExpression(handout);
    if (!options.handoutBase) return new instance.SafeString(`<code>${text}</code>`);
    const href = instance.escapeExpression(`${options.handoutBase.replace(/\/$/, '')}/${handout}`);
    return new instance.SafeString(`<a href="${href}">${text}</a>`);
  });
  return instance;
}

let compiled: { options: RenderOptions; template: HandlebarsTemplateDelegate } | undefined;

export function renderHtml(report: Report, options: RenderOptions): string {
  if (!compiled || compiled.options.handoutBase !== options.handoutBase) {
    const source = readFileSync(new URL('./templates/report.hbs', import.meta.url), 'utf8');
    compiled = { options, template: handlebars(options).compile(source, { noEscape: false }) };
  }
  // The id is kept exact in report.json (it keys --resume); shown here, its control characters are escaped.
  return compiled.template({
    ...report,
    student: { ...report.student, id: inertText(report.student.id, MAX_NAME_CHARACTERS) },
  });
}

/** Markdown-inert text: control characters escaped and the length bounded (inert-text.ts), backslash-escapes Markdown punctuation and encodes HTML's < > &. */
export function markdownText(text: string): string {
  return inertText(text, MAX_REASON_CHARACTERS)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

export function renderMarkdown(report: Report, options: RenderOptions): string {
  const t = markdownText;
  const link = (handout: string): string =>
    options.handoutBase ? `[${t(handout)}](${options.handoutBase.replace(/\/$/, '')}/${handout})` : `\`${handout}\``;
  const lines: string[] = [
    `# ${t(report.course)}`,
    '',
    `Report for **${t(report.student.id)}**${report.student.declaredId ? ` (submission.json says ${t(report.student.declaredId)})` : ''} · seed ${report.seed}`,
    '',
    `**Score: ${formatNumber(report.total.final.earned)} / ${formatNumber(report.total.final.possible)} points (${formatNumber(report.total.percent)}%)**`,
    '',
    `Public tests: ${formatNumber(report.total.public.earned)} / ${formatNumber(report.total.public.possible)} · Hidden tests: ${formatNumber(report.total.hidden.earned)} / ${formatNumber(report.total.hidden.possible)}`,
    '',
  ];
  for (const note of [...report.notes, ...report.sandbox.warnings.map((w) => `Sandbox: ${w}`)])
    lines.push(`> ${t(note)}`, '');
  for (const exercise of report.exercises) {
    lines.push(`## ${t(exercise.id)}: ${t(exercise.title)}`, '', `Handout: ${link(exercise.handout)}`, '');
    if (exercise.late.daysLate > 0)
      lines.push(`Late by ${exercise.late.daysLate} day(s): −${formatNumber(exercise.late.penalty * 100)}%`, '');
    lines.push('| Component | Public tests | Hidden tests | Tests passed |', '|---|---:|---:|---:|');
    for (const c of exercise.components) {
      lines.push(
        `| ${t(c.name)} | ${formatNumber(c.public.earned)} / ${formatNumber(c.public.possible)} | ${formatNumber(c.hidden.earned)} / ${formatNumber(c.hidden.possible)} | ${c.cases.filter((x) => x.status === 'passed').length} / ${c.cases.length} |`,
      );
    }
    lines.push('');
    for (const c of exercise.components) {
      for (const failure of c.cases.filter((x) => x.status !== 'passed')) {
        lines.push(
          `- **${t(c.name)}**, ${t(failure.title)} (${failure.visibility}, ${statusLabels[failure.status]}, 0 / ${formatNumber(failure.possible)}): ${t(failure.reason)}`,
        );
        if (failure.detail?.expected)
          lines.push(`  - expected: \`${inertText(failure.detail.expected, MAX_NAME_CHARACTERS).replace(/`/g, "'")}\``);
        if (failure.detail?.received)
          lines.push(`  - received: \`${inertText(failure.detail.received, MAX_NAME_CHARACTERS).replace(/`/g, "'")}\``);
        lines.push(`  - read: ${link(c.handout)}`);
      }
    }
    lines.push('');
  }
  if (report.challenge) lines.push(...challengeMarkdown(report.challenge));
  lines.push('## Files', '');
  for (const file of report.files.accepted) lines.push(`- graded \`${file.path}\` from ${t(file.from)}`);
  for (const file of report.files.missing) lines.push(`- missing \`${file}\``);
  for (const file of report.files.ignored) lines.push(`- ignored ${t(file.path)}: ${t(file.reason)}`);
  lines.push('');
  return lines.join('\n');
}

/** The challenge in report.md: the accuracy and points, or the reason for 0; per-class metrics (the picture is in report.html). */
function challengeMarkdown(challenge: ChallengeReport): string[] {
  const share = (value: number): string => `${(value * 100).toFixed(2)}%`;
  const lines = [`## ${markdownText(challenge.exercise)}: the challenge (hidden test set)`, ''];
  if (challenge.status === 'scored' && challenge.accuracy !== null)
    lines.push(
      `Accuracy **${share(challenge.accuracy)}**: ${formatNumber(challenge.points.earned)} / ${formatNumber(challenge.points.possible)} points.`,
      '',
    );
  else lines.push(`**0 / ${formatNumber(challenge.points.possible)} points**: ${markdownText(challenge.reason)}`, '');
  if (challenge.classes.length > 0) {
    lines.push('| Class | Precision | Recall | F1 | Images |', '|---|---:|---:|---:|---:|');
    for (const c of challenge.classes)
      lines.push(
        `| ${markdownText(c.name)} | ${share(c.precision)} | ${share(c.recall)} | ${share(c.f1)} | ${c.support} |`,
      );
    lines.push('');
  }
  return lines;
}
