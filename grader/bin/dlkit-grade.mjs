#!/usr/bin/env node
// The `dlkit-grade` command (package.json "bin"): runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
const { GraderSetupError } = await import('../plan.ts');
try {
  process.exit(await main(process.argv.slice(2)));
} catch (error) {
  if (error instanceof GraderSetupError) {
    console.error(`dlkit-grade: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
