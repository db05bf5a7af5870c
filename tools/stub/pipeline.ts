import type { Kit } from '../kit.js';
import { findOwner } from './find-owner.js';
import { findRegions } from './find-regions.js';
import { addGeneratedHeader } from './generated-header.js';
import { importNotImplemented } from './import-not-implemented.js';
import { nameRegions } from './name-regions.js';
import { replaceRegions } from './replace-regions.js';
import type { StubFile, Transform } from './stub-file.js';
import { replaceWgslRegions } from './wgsl.js';

/**
 * The stub tool as an ordered pipeline of small transforms (in the manner of nbgrader's
 * preprocessors): each takes a StubFile and returns the next; the first error stops it.
 */
export const typescriptPipeline = (solutionText: string): readonly Transform[] => [
  findRegions,
  findOwner,
  nameRegions,
  replaceRegions,
  importNotImplemented,
  addGeneratedHeader(solutionText),
];
export const wgslPipeline = (solutionText: string): readonly Transform[] => [
  findRegions,
  findOwner,
  replaceWgslRegions,
  addGeneratedHeader(solutionText),
];

/** The languages the stub tool rewrites; any other file under solutions/ is copied as it is. */
export function languageOf(file: string): StubFile['language'] | undefined {
  if (file.endsWith('.ts')) return 'typescript';
  if (file.endsWith('.wgsl')) return 'wgsl';
  return undefined;
}

/** The exercises/ text for `file` (relative to solutions/) with solution text `text`. */
export function stubSource(kit: Kit, file: string, text: string): string {
  const language = languageOf(file);
  if (!language) return text;
  const pipeline = (language === 'typescript' ? typescriptPipeline : wgslPipeline)(text);
  const start: StubFile = { kit, file, language, text, regions: [], names: [] };
  return pipeline.reduce((current, transform) => transform(current), start).text;
}
