import type { BuggedVariant } from './variant.js';
import { ex1 } from './ex1.js';
import { ex5 } from './ex5.js';

/** Every bugged variant of the course, at least one per component (tests/tools check it). */
export const bugged: readonly BuggedVariant[] = [...ex1, ...ex5];
