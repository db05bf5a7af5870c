import type { Kit, Owner } from '../kit.js';
import type { Region } from './markers.js';

/**
 * One file on its way from solutions/ to exercises/. Each transform of the pipeline
 * (tools/stub/pipeline.ts) takes one of these and returns the next; none touches the disk.
 */
export interface StubFile {
  readonly kit: Kit;
  /** Path relative to solutions/ (and exercises/), forward slashes. */
  readonly file: string;
  readonly language: 'typescript' | 'wgsl';
  readonly text: string;
  readonly regions: readonly Region[];
  /** Set once regions are found, for files that have any. */
  readonly owner?: Owner;
  /** Per region, the name the stub reports: `FullyConnected.forward`. */
  readonly names: readonly string[];
}

export type Transform = (file: StubFile) => StubFile;

/** The path in messages: `solutions/layers/conv.ts`. */
export const solutionPath = (file: StubFile): string => `solutions/${file.file}`;

/** What the stub names: the method alone when it belongs to the component's class, else both. */
export function stubLabel(component: string, name: string): string {
  return name === component || name.startsWith(`${component}.`) ? name : `${component} (${name})`;
}

/** A TypeScript string literal for a plain value. */
export const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
