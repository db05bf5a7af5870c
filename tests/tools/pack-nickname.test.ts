import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packSubmission } from '../../tools/submission/pack.js';
import type { Kit } from '../../tools/kit.js';
import { createFixtureKit } from './fixture-kit.js';

/**
 * `npm run pack-submission -- --nickname`: the challenge leaderboard's name goes into submission.json
 * (docs/submission-format.md) when it keeps the rule (framework/challenge/nickname-rule.ts), and a name
 * that breaks it stops the tool before anything is written.
 */
let kit: Kit & { cleanup(): void };
beforeAll(async () => {
  kit = await createFixtureKit();
}, 60_000);
afterAll(() => kit?.cleanup());

describe('pack-submission --nickname', () => {
  it('writes the nickname into submission.json, and leaves it out when none is given', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const named = packSubmission(kit, 's1234567', now, "Ada's <CNN> & co");
    expect(named.manifest?.nickname).toBe("Ada's <CNN> & co");
    const manifest = JSON.parse(strFromU8(unzipSync(named.zip as Uint8Array)['submission.json'])) as {
      nickname?: string;
      studentId: string;
    };
    expect(manifest.nickname).toBe("Ada's <CNN> & co");
    expect(manifest.studentId).toBe('s1234567');
    expect(packSubmission(kit, 's1234567', now).manifest).not.toHaveProperty('nickname');
  });

  it('refuses a nickname the leaderboard would not show', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    expect(() => packSubmission(kit, 's1234567', now, 'x'.repeat(25))).toThrow(
      /Nickname 'x{25}' is not valid: it has 25 characters \(1–24 allowed\)/,
    );
    expect(() => packSubmission(kit, 's1234567', now, 'bell\u0007')).toThrow(
      /Nickname 'bell\\u0007' is not valid: it holds a character that is not printable/,
    );
    expect(() => packSubmission(kit, 's1234567', now, '')).toThrow(/0 characters/);
  });
});
