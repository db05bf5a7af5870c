import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeBatch, outputFolderName } from '../../grader/batch.js';
import { buildSamples } from '../../grader/samples/build-samples.js';
import { writeZip } from '../../grader/samples/write-zip.js';
import { readZip } from '../../grader/submissions/zip.js';
import { buildSurvivingCrashes, COMPILER_CRASH_MESSAGE } from '../../grader/sandbox/esbuild-service.js';
import { commandLine } from '../../grader/sandbox/case-process.js';
import { requireIsolation, WEAK_FILE_BYTES } from '../../grader/sandbox/weak-isolation.js';
import { displayName } from '../../grader/submissions/file-names.js';
import { MAX_ENTRIES, MAX_TOTAL_BYTES } from '../../grader/submissions/limits.js';
import { loadSubmission } from '../../grader/submissions/load.js';
import { batchOptions, kitRoot, temporaryFolder } from './helpers.js';

/**
 * Issue 17's classes that are not a sample submission: the instructor's inputs, colliding outputs,
 * isolation that is too weak, folder caps, a compiler crash shared by concurrent builds, and --resume
 * of a submission whose content changed.
 */

const linux = { platform: 'linux' as const, prlimit: true };

describe('grader batch guards', () => {
  it('refuses two submissions that would share outputs, naming both, before grading anyone (item 2)', async () => {
    const root = temporaryFolder('collide');
    mkdirSync(path.join(root, 'in', 'alice'), { recursive: true });
    writeFileSync(path.join(root, 'in', 'alice.zip'), 'not even a zip');
    const out = path.join(root, 'out');
    await expect(gradeBatch(batchOptions(path.join(root, 'in'), out))).rejects.toThrow(
      /the zip '.*alice\.zip' and the folder '.*alice'|the folder '.*alice' and the zip '.*alice\.zip'/,
    );
    expect(existsSync(out), 'nothing written').toBe(false);

    // Case-folded output folders clash too (macOS, Windows).
    const second = path.join(root, 'in2');
    mkdirSync(path.join(second, 'Bob'), { recursive: true });
    mkdirSync(path.join(second, 'bob'), { recursive: true });
    await expect(gradeBatch(batchOptions(second, out))).rejects.toThrow(/'.*Bob' and the folder '.*bob'/);
  });

  it('gives clear errors for a submissions path that is a file, an --out that is a file and a missing --submitted-at (item 7)', async () => {
    const root = temporaryFolder('inputs');
    const file = path.join(root, 'file.txt');
    writeFileSync(file, 'x');
    mkdirSync(path.join(root, 'in'));
    await expect(gradeBatch(batchOptions(file, path.join(root, 'out')))).rejects.toThrow(
      /is a file, not a folder of submissions/,
    );
    await expect(gradeBatch(batchOptions(path.join(root, 'in'), file))).rejects.toThrow(
      /--out .* is a file: pass a folder/,
    );
    await expect(
      gradeBatch(
        batchOptions(path.join(root, 'in'), path.join(root, 'out'), {
          submittedAtFile: path.join(root, 'missing.csv'),
        }),
      ),
    ).rejects.toThrow(/--submitted-at: no such file/);
  });

  it('refuses weak isolation unless the instructor accepts it, then caps files and processes and says so (item 5)', () => {
    expect(requireIsolation({ ...linux, bwrap: true, unshare: true }, false).mode).toBe('bwrap');
    expect(() => requireIsolation({ ...linux, bwrap: false, unshare: true }, false)).toThrow(
      /refusing to grade: this machine cannot give submissions a PID and mount namespace.*--allow-weak-isolation/,
    );
    expect(() => requireIsolation({ ...linux, bwrap: false, unshare: false }, false)).toThrow(/refusing to grade/);
    expect(() => requireIsolation({ platform: 'linux', bwrap: false, unshare: true, prlimit: false }, true)).toThrow(
      /prlimit \(util-linux\) is needed/,
    );
    const weak = requireIsolation({ ...linux, bwrap: false, unshare: true }, true);
    expect(weak.mode).toBe('unshare');
    expect(weak.weakCaps?.fileBytes).toBe(WEAK_FILE_BYTES);
    expect(weak.warnings.join(' ')).toMatch(/weak isolation accepted by the instructor/);
    const { command, args } = commandLine(
      {
        code: '',
        config: { seed: 1, visibility: 'public', skip: [] },
        isolation: weak,
        memoryBytes: 1 << 30,
        caseTimeoutMs: 1000,
        deadline: Date.now() + 1000,
        onFrame: () => undefined,
      },
      'work',
    );
    expect(command).toBe('prlimit');
    expect(args).toContain(`--fsize=${WEAK_FILE_BYTES}`);
    expect(args.some((a) => /^--nproc=\d+$/.test(a))).toBe(true);
    expect(args.slice(args.indexOf('--') + 1, args.indexOf('--') + 3)).toEqual(['unshare', '-n']);
  });

  it('caps a folder submission like a zip: entries and bytes (item 7)', async () => {
    const root = temporaryFolder('caps');
    const many = path.join(root, 'many');
    mkdirSync(many);
    for (let i = 0; i <= MAX_ENTRIES; i++) writeFileSync(path.join(many, `f${i}.txt`), '');
    await expect(
      loadSubmission({ id: 'many', location: many, fsPath: Buffer.from(many), source: 'folder' }, []),
    ).rejects.toThrow(`more than ${MAX_ENTRIES} files and folders`);
    const big = path.join(root, 'big');
    mkdirSync(big);
    const megabyte = Buffer.alloc(1024 * 1024, 32);
    for (let i = 0; i * megabyte.length <= MAX_TOTAL_BYTES; i++) writeFileSync(path.join(big, `f${i}.txt`), megabyte);
    await expect(
      loadSubmission({ id: 'big', location: big, fsPath: Buffer.from(big), source: 'folder' }, []),
    ).rejects.toThrow(`more than ${MAX_TOTAL_BYTES} bytes`);
  });

  it('shows names that are not UTF-8 losslessly, byte by byte', () => {
    expect(displayName(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe('caf\\xe9');
    expect(displayName(Buffer.from('café'))).toBe('café');
    expect(displayName(Buffer.from([0xff, 0xfe]))).not.toBe(displayName(Buffer.from([0xfe, 0xff])));
  });

  it('survives a compiler crash: a build running alongside succeeds, the crashing one is a compile error, later builds work (item 1)', async () => {
    const build = (contents: string) =>
      buildSurvivingCrashes({ stdin: { contents, loader: 'ts' }, write: false, bundle: true, logLevel: 'silent' });
    const crashing = build(`export const deep = ${'!'.repeat(500_000)}1;`);
    const bystander = build('export const fine: number = 1;');
    await expect(crashing).rejects.toThrow(COMPILER_CRASH_MESSAGE);
    expect((await bystander).outputFiles[0].text).toContain('fine');
    expect((await build('export const later = 2;')).outputFiles[0].text).toContain('later');
  }, 120_000);

  it('--resume grades a submission again when its content changed (item 7)', async () => {
    const root = temporaryFolder('resume');
    const all = await buildSamples(kitRoot, path.join(root, 'samples'));
    const out = path.join(root, 'out');
    const first = await gradeBatch(batchOptions(all, out, { only: ['reference'] }));
    expect(first.reports[0].student.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    const kept = await gradeBatch(batchOptions(all, out, { only: ['reference'], resume: true }));
    expect(kept.resumed).toEqual(['reference']);
    // The student resubmits: the same zip name, a ReLU that is now wrong.
    const zip = path.join(all, 'reference.zip');
    const entries = [...(await readZip(zip)).files].map(([name, data]) => ({
      name,
      data: name.endsWith('relu.ts')
        ? Buffer.from(data.toString('utf8').replace('x[i] > 0 ? x[i] : 0', 'x[i] > 0 ? x[i] : 1'))
        : data,
    }));
    writeFileSync(zip, writeZip(entries));
    const regraded = await gradeBatch(batchOptions(all, out, { only: ['reference'], resume: true }));
    expect(regraded.resumed).toEqual([]);
    expect(regraded.reports[0].total.final.earned).toBeLessThan(first.reports[0].total.final.earned);
  }, 300_000);

  it("keeps a student's report in the gradebook when even its folder cannot be written, and the batch goes on", async () => {
    const root = temporaryFolder('unwritable');
    const all = await buildSamples(kitRoot, path.join(root, 'samples'));
    const out = path.join(root, 'out');
    // Where the student's folder must go, a plain file: every write of the report fails.
    mkdirSync(path.join(out, 'students'), { recursive: true });
    writeFileSync(path.join(out, 'students', outputFolderName('stubs')), 'in the way');
    const warnings: string[] = [];
    const result = await gradeBatch(
      batchOptions(all, out, { only: ['stubs'], onWarning: (message) => warnings.push(message) }),
    );
    expect(warnings.join('\n')).toMatch(/stubs: the grader failed on this submission \(.+\); its report says so/);
    expect(warnings.join('\n')).toMatch(/stubs: its report could not be written \(.+\); it is in the gradebook only/);
    expect(result.reports.map((report) => report.student.id)).toEqual(['stubs']);
    const statuses = result.reports[0].exercises.flatMap((exercise) =>
      exercise.components.flatMap((component) => component.cases.map((x) => x.status)),
    );
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses), 'every check says the grader failed, not the student').toEqual(new Set(['error']));
    expect(readFileSync(path.join(out, 'gradebook.csv'), 'utf8')).toMatch(/^"?stubs"?,/m);
  }, 300_000);
});
