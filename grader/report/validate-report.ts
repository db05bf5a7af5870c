import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import type { Report } from './report-types.js';

/** Validates a report against grader/report/report.schema.json; `--resume` trusts only valid reports. */
const schema = JSON.parse(readFileSync(new URL('./report.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

export function reportErrors(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (error: ErrorObject) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
  );
}

export function isValidReport(value: unknown): value is Report {
  return reportErrors(value).length === 0;
}
