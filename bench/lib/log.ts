/** Progress and diagnostics go to stderr: stdout carries only the JSON result lines. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
