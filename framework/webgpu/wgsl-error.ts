import { DeviceError } from '../errors.js';
import type { WgslKernel } from './wgsl-kernel.js';

/** One compiler message, with the line and column in the `.wgsl` file. */
export interface WgslMessage {
  readonly type: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * A kernel that does not compile, or a dispatch WebGPU rejected (a binding of the wrong kind, too
 * many workgroups). WebGPU never throws for these: the runtime catches them with error scopes and
 * the compiler's messages, and raises this with the file, line and column.
 */
export class WgslError extends DeviceError {
  readonly kernel: string;
  readonly file: string;
  readonly messages: readonly WgslMessage[];

  constructor(kernel: WgslKernel, what: string, validationMessage: string, messages: readonly WgslMessage[] = []) {
    const errors = messages.filter((m) => m.type === 'error');
    const detail =
      errors.length > 0
        ? errors.map((m) => `  ${kernel.file}:${m.line}:${m.column} ${m.type}: ${m.message}`).join('\n')
        : validationMessage
            .trim()
            .split('\n')
            .map((line) => `  ${line}`)
            .join('\n');
    super(`WGSL kernel '${kernel.name}' (${kernel.file}) ${what}:\n${detail}`);
    this.kernel = kernel.name;
    this.file = kernel.file;
    this.messages = messages;
  }
}
