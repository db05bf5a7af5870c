import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkSubmissionsFolder } from '../batch-inputs.js';
import { checkFolderArguments, kitRoot, runWhenInvoked, similarityLine, thresholdOption } from '../cli.js';
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
  const out = checkFolderArguments(positionals, values.out, usage);
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

runWhenInvoked(import.meta.url, 'similarity', main);
