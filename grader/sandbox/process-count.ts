import { readdirSync, readFileSync } from 'node:fs';

/**
 * How many processes and threads the user `uid` runs now (what RLIMIT_NPROC counts), from /proc. Used
 * to set `prlimit --nproc` a little above it under weak isolation (weak-isolation.ts).
 */
export function tasksOfUser(uid: number): number {
  let tasks = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const realUid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      if (Number(realUid) === uid) tasks += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
    } catch {
      // the process ended while we looked
    }
  }
  return tasks;
}
