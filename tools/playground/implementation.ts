import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder the page's `#impl/…` imports point at, and how it was chosen (printed by the CLI). */
export interface Implementation {
  readonly folder: string;
  readonly label: string;
}

/**
 * The same switch as the tests (vitest.config.ts): DLKIT_IMPL=exercises → exercises/, a folder path →
 * that folder, 'solutions' → solutions/. Unset: solutions/ in the kit, exercises/ in a student
 * handout (which has no solutions/).
 */
export function resolveImplementation(root: string, requested = process.env.DLKIT_IMPL): Implementation {
  const named = requested ?? (existsSync(path.join(root, 'solutions')) ? 'solutions' : 'exercises');
  const folder = named === 'exercises' || named === 'solutions' ? path.join(root, named) : path.resolve(named);
  if (!existsSync(folder))
    throw new Error(`playground: the implementation folder ${folder} does not exist (DLKIT_IMPL=${named})`);
  return { folder, label: named === 'exercises' || named === 'solutions' ? `${named}/` : folder };
}
