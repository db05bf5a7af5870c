import type { BuggedVariant } from './variant.js';
import { ex1 } from './ex1.js';

/** Every bugged variant of the course, at least one per component (tests/tools check it). */
export const bugged: readonly BuggedVariant[] = [...ex1];
