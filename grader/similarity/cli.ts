import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkOutputFolder, checkSubmissionsFolder } from '../batch-inputs.js';
import { kitRoot, similarityLine, thresholdOption } from '../cli.js';
import { GraderSetupError } from '../plan.js';
import { inertLines } from '../report/inert-text.js';
import { writeSimilarity } from './write-similarity.js';

/**
 * `npm run similarity -- <submissions> --out <dir>`: the similarity index alone, without grading,
 * written into a graded output folder (or any folder) next to summary.html. The same as
 * `npm run grade -- <submissions> --similarity` does after grading. See docs/grader.md, "Similarity".
 */
const usage = `Usage: npm run similarity -- <submissions folder> [--out <dir>] [options]

  --out <dir>                  where similarity.html and similarity.json go (default: grade-output)
  --exercise <id>              only this exercise's components (repeatable)
  --similarity-threshold <x>   flag pairs whose similarity is at least x, in (0, 1] (default 0.6)
  --quiet                      print nothing but errors

With no submissions folder, compares the bundled samples (grader/samples), built into <out>/sample-submissions.`;

export async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      exercise: { type: 'string', multiple: true },
      'similarity-threshold': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length > 1)
    throw new GraderSetupError(`expected one submissions folder, got ${positionals.length}\n\n${usage}`);
  const out = path.resolve(values.out ?? 'grade-output');
  checkOutputFolder(out);
  const threshold = thresholdOption(values['similarity-threshold']);
  let submissions = positionals[0];
  if (submissions === undefined) {
    const { buildSamples } = await import('../samples/build-samples.js');
    submissions = await buildSamples(kitRoot, path.join(out, 'sample-submissions'));
  }
  checkSubmissionsFolder(submissions);
  const { result, html } = await writeSimilarity({
    kitRoot,
    submissions: path.resolve(submissions),
    out,
    exercises: values.exercise,
    settings: threshold === undefined ? {} : { threshold },
    onWarning: (message) => {
      if (!values.quiet) console.error(`warning: ${inertLines(message)}`);
    },
  });
  if (!values.quiet) console.log(similarityLine(result, html));
  return 0;
}

const invokedDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (
        error instanceof GraderSetupError ||
        (error instanceof Error && error.name === 'TypeError' && /parseArgs|Unknown option/.test(error.message))
      ) {
        console.error(`similarity: ${inertLines(error.message)}`);
        process.exit(2);
      }
      console.error(error);
      process.exit(1);
    },
  );
}
