/** `process` for the framework's few reads of it (WebGPU backend choice, cwd in error paths), injected by esbuild. */
export const process = { env: {} as Record<string, string | undefined>, cwd: (): string => '' };
