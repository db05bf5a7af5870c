import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { toPosix } from './kit.js';

/** Every file under `folder`, relative to it, forward slashes, sorted (so every tool is deterministic). */
export function listFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(folder, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) found.push(toPosix(child));
    }
  };
  if (exists(folder)) walk('');
  return found.sort();
}

export function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}
