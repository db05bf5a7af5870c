import { existsSync, readFileSync, statSync } from 'node:fs';
import { GraderSetupError } from './plan.js';

/**
 * The instructor's inputs to a batch, checked before anything is graded or written, each with a message
 * that says what is wrong and what to do (never a stack trace).
 */
export function checkSubmissionsFolder(folder: string): void {
  if (!existsSync(folder)) throw new GraderSetupError(`no such folder: ${folder}`);
  if (!statSync(folder).isDirectory()) {
    throw new GraderSetupError(
      `${folder} is a file, not a folder of submissions: put each student's folder or .zip into one folder and pass that folder`,
    );
  }
}

export function checkOutputFolder(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory())
    throw new GraderSetupError(`--out ${out} is a file: pass a folder (it is created when missing)`);
}

/** `student,ISO time` lines from the LMS (a header line and unparseable times are skipped). */
export function readSubmissionTimes(file: string | undefined): Map<string, Date> {
  const times = new Map<string, Date>();
  if (!file) return times;
  if (!existsSync(file)) throw new GraderSetupError(`--submitted-at: no such file: ${file}`);
  if (!statSync(file).isFile())
    throw new GraderSetupError(`--submitted-at: ${file} is not a file (expected a CSV of "student,ISO time" lines)`);
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const [student, time] = line.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
    if (!student || !time || student === 'student') continue;
    const date = new Date(time);
    if (!Number.isNaN(date.getTime())) times.set(student, date);
  }
  return times;
}
