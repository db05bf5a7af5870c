import { describe, expect, it } from 'vitest';
import { runInLanes } from '../../grader/run-in-lanes.js';

/** Work that records how many items run at once and finishes in the order the test releases it. */
function tracked() {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const work = async (item: number): Promise<void> => {
    started.push(item);
    running++;
    most = Math.max(most, running);
    // Later items finish sooner, so a lane that is free takes the next item before the others end.
    await new Promise((resolve) => setTimeout(resolve, 2 * (10 - item)));
    running--;
  };
  return { work, started, most: () => most };
}

describe("runInLanes (a batch's submissions, a submission's processes)", () => {
  it('runs every item once, in order of start, never more than `lanes` at a time', async () => {
    const { work, started, most } = tracked();
    await runInLanes([0, 1, 2, 3, 4, 5, 6], 3, work);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most()).toBe(3);
  });

  it('runs one at a time with one lane (or a lane count below one), and finishes with no items', async () => {
    for (const lanes of [1, 0]) {
      const { work, started, most } = tracked();
      await runInLanes([0, 1, 2], lanes, work);
      expect(started).toEqual([0, 1, 2]);
      expect(most()).toBe(1);
    }
    await expect(runInLanes([], 4, async () => undefined)).resolves.toBeUndefined();
  });

  it('rejects with the first failure', async () => {
    await expect(
      runInLanes([0, 1], 2, async (item) => {
        if (item === 1) throw new Error('work 1 failed');
      }),
    ).rejects.toThrow('work 1 failed');
  });
});
