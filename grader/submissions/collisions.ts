import type { SubmissionEntry } from './load.js';

/**
 * Two submissions must never share outputs: `alice/` and `alice.zip` are both "alice", and two names
 * may map to one output folder (a case-insensitive file system, or a cleaned name that equals another
 * student's real one). Sharing would let one report overwrite the other and one gradebook row stand
 * for two students, so the batch is refused before anyone is graded, with every clash named.
 */
export function outputCollisions(entries: readonly SubmissionEntry[], folderOf: (id: string) => string): string[] {
  const byKey = new Map<string, SubmissionEntry[]>();
  const add = (key: string, entry: SubmissionEntry): void => {
    const group = byKey.get(key) ?? [];
    if (!group.includes(entry)) group.push(entry);
    byKey.set(key, group);
  };
  for (const entry of entries) {
    add(`id:${entry.id}`, entry);
    // Case-folded: an output folder on macOS or Windows ignores case.
    add(`folder:${folderOf(entry.id).toLowerCase()}`, entry);
  }
  const clashes = new Set<string>();
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    clashes.add(
      group.map((entry) => `${entry.source === 'zip' ? 'the zip' : 'the folder'} '${entry.location}'`).join(' and '),
    );
  }
  return [...clashes];
}
