import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { course } from '../../course/course.js';
import { inertText, MAX_NAME_CHARACTERS } from '../report/inert-text.js';
import { formatNumber } from '../report/render.js';
import type { LineRange, SimilarityResult } from './similarity-types.js';

/**
 * similarity.html: for the instructor only. Rendered like the reports (Handlebars, double-stash only,
 * so every student-derived string — ids, file text — is escaped; ids and code lines are first made
 * inert: control characters and bidirectional overrides shown as escapes, lengths bounded). The page
 * has no script and a Content-Security-Policy that allows none.
 */
const MAX_FRAGMENT_LINES = 80;
const MAX_LINE_CHARACTERS = 200;

interface Row {
  leftNumber: string;
  leftText: string;
  rightNumber: string;
  rightText: string;
}

function lines(text: string | undefined, range: LineRange): Array<{ number: number; text: string }> {
  const all = (text ?? '').split(/\r?\n/);
  const out: Array<{ number: number; text: string }> = [];
  for (let n = range.startLine; n <= Math.min(range.endLine, range.startLine + MAX_FRAGMENT_LINES - 1); n++) {
    out.push({ number: n, text: inertText((all[n - 1] ?? '').replace(/\t/g, '  '), MAX_LINE_CHARACTERS) });
  }
  return out;
}

function sideBySide(
  leftText: string | undefined,
  left: LineRange,
  rightText: string | undefined,
  right: LineRange,
): Row[] {
  const l = lines(leftText, left);
  const r = lines(rightText, right);
  return Array.from({ length: Math.max(l.length, r.length) }, (_, i) => ({
    leftNumber: l[i] ? String(l[i].number) : '',
    leftText: l[i]?.text ?? '',
    rightNumber: r[i] ? String(r[i].number) : '',
    rightText: r[i]?.text ?? '',
  }));
}

const name = (id: string): string => inertText(id, MAX_NAME_CHARACTERS);
const percent = (value: number): string => `${formatNumber(value * 100)}%`;

/** The page model: everything already text, so the template only places it. */
export function similarityModel(
  result: SimilarityResult,
  texts: ReadonlyMap<string, ReadonlyMap<string, string>>,
): unknown {
  const { settings } = result;
  return {
    course: course.name,
    generatedAt: result.generatedAt,
    submissionCount: result.submissions.length,
    seconds: formatNumber(result.seconds),
    threshold: percent(settings.threshold),
    minimumRunTokens: settings.minimumRunTokens,
    kgramTokens: settings.kgramTokens,
    windowKgrams: settings.windowKgrams,
    guaranteedTokens: settings.kgramTokens + settings.windowKgrams - 1,
    contextPairs: settings.contextPairs,
    unreadable: result.unreadable.map((u) => ({ id: name(u.id), reason: inertText(u.reason) })),
    repeated: result.repeatedPairs.map((p) => ({
      left: name(p.left),
      right: name(p.right),
      count: p.components.length,
      components: p.components.join(', '),
    })),
    overview: result.components.map((c) => ({
      title: `${c.exercise} ${c.component}`,
      withOwnCode: c.withOwnCode,
      distinct: c.distinct,
      pairsCompared: c.pairsCompared,
      flagged: c.flaggedPairs,
      top: c.pairs[0] ? percent(c.pairs[0].similarity) : '–',
    })),
    components: result.components
      .filter((c) => c.pairs.length > 0)
      .map((c) => ({
        title: `${c.exercise} ${c.component}`,
        files: c.files.map((f) => `exercises/${f}`).join(', '),
        withOwnCode: c.withOwnCode,
        distinct: c.distinct,
        pairsCompared: c.pairsCompared,
        flagged: c.flaggedPairs,
        listedFlagged: c.pairs.filter((p) => p.flagged).length,
        pairs: c.pairs.map((p, i) => ({
          rank: i + 1,
          left: name(p.left),
          right: name(p.right),
          identical: p.identical ? { count: p.identical.length, names: p.identical.map(name).join(', ') } : undefined,
          leftGroup: p.leftGroup
            ? { more: p.leftGroup.length - 1, names: p.leftGroup.map(name).join(', ') }
            : undefined,
          rightGroup: p.rightGroup
            ? { more: p.rightGroup.length - 1, names: p.rightGroup.map(name).join(', ') }
            : undefined,
          similarity: percent(p.similarity),
          longestTokens: p.longestTokens,
          flagged: p.flagged,
          fragments: p.fragments.map((f) => ({
            file: `exercises/${f.file}`,
            tokens: f.tokens,
            leftLines: `${f.left.startLine}–${f.left.endLine}`,
            rightLines: `${f.right.startLine}–${f.right.endLine}`,
            rows: sideBySide(texts.get(p.left)?.get(f.file), f.left, texts.get(p.right)?.get(f.file), f.right),
          })),
        })),
      })),
  };
}

let template: HandlebarsTemplateDelegate | undefined;

export function renderSimilarityHtml(
  result: SimilarityResult,
  texts: ReadonlyMap<string, ReadonlyMap<string, string>>,
): string {
  template ??= Handlebars.create().compile(
    readFileSync(new URL('./templates/similarity.hbs', import.meta.url), 'utf8'),
  );
  return template(similarityModel(result, texts));
}
