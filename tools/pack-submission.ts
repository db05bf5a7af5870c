/**
 * `npm run pack-submission -- --student <id> [--nickname <name>] [--out <file.zip>]`: zips the files you own
 * (course/course.ts) with a submission.json (with the challenge leaderboard's nickname when given), after
 * checking every one is there. Missing files stop it; files in
 * exercises/ that are not yours to submit are listed, since they will not reach the grader.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadKit } from './kit.js';
import { packSubmission } from './submission/pack.js';

const { values } = parseArgs({
  options: { student: { type: 'string' }, out: { type: 'string' }, nickname: { type: 'string' } },
});
if (!values.student) {
  console.error(
    'Usage: npm run pack-submission -- --student <your student id> [--nickname <leaderboard name>] [--out submission.zip]',
  );
  process.exit(2);
}
const kit = await loadKit();
let result: ReturnType<typeof packSubmission>;
try {
  result = packSubmission(kit, values.student, new Date(), values.nickname);
} catch (error) {
  console.error(`✗ ${(error as Error).message}`);
  process.exit(2);
}
for (const file of result.unexpected)
  console.warn(
    `! ${file} is not one of the files you submit: it will not be graded. Move its code into your exercise files.`,
  );
for (const { path: file, count } of result.stubsLeft)
  console.log(`  ${file}: ${count} stub${count === 1 ? '' : 's'} still to fill in`);
if (!result.zip || !result.manifest) {
  for (const file of result.missing)
    console.error(`✗ ${file} is missing: restore it (git checkout -- ${file}) before you submit.`);
  console.error('No submission written.');
  process.exit(1);
}
const out = path.resolve(values.out ?? `submission-${values.student}.zip`);
writeFileSync(out, result.zip);
console.log(
  `Wrote ${path.relative(process.cwd(), out) || out}: ${result.manifest.files.length} files for ${values.student}. Upload this zip.`,
);
