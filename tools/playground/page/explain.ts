import { isNotImplementedError } from '../../../framework/errors.js';

/** What the page says about an error thrown by the student's code (never a blank page or a console error). */
export interface Explanation {
  /** 'missing' for a stub, 'error' for anything else. */
  readonly kind: 'missing' | 'error';
  readonly text: string;
  /** The handout section to read, as a link into the served docs. */
  readonly link?: { readonly href: string; readonly label: string };
  /** For a stub: the component, e.g. 'ReLU (reluBackwardCpu)'. */
  readonly component?: string;
}

export function explain(error: unknown): Explanation {
  if (isNotImplementedError(error)) {
    const exercise = error.exercise.replace(/^ex/, 'Exercise ');
    return {
      kind: 'missing',
      text: `implement ${error.component} first (${exercise}, handout: `,
      link: { href: error.handout, label: error.handout.replace(/^docs\/exercises\//, '') },
      component: error.component,
    };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: 'error', text: `stopped: ${message}` };
}

/** Shows an explanation in the message box (text nodes: nothing from an error becomes HTML). */
export function showExplanation(box: HTMLElement, explanation: Explanation | undefined): void {
  box.replaceChildren();
  box.hidden = explanation === undefined;
  document.body.dataset.missing = explanation?.component ?? '';
  if (!explanation) return;
  box.className = `message ${explanation.kind}`;
  box.append(explanation.text);
  if (explanation.link) {
    const anchor = document.createElement('a');
    anchor.href = explanation.link.href;
    anchor.target = '_blank';
    anchor.textContent = explanation.link.label;
    box.append(anchor, ')');
  }
}
