import type { BuggedVariant } from './variant.js';
import { ex1 } from './ex1.js';
import { ex2Optimizers } from './ex2-optimizers.js';
import { ex2Conv } from './ex2-conv.js';
import { ex3 } from './ex3.js';
import { ex4 } from './ex4.js';
import { ex5 } from './ex5.js';
import { ex6Pooling } from './ex6-pooling.js';
import { ex6Layers } from './ex6-layers.js';
import { ex6Attention } from './ex6-attention.js';
import { ex6Schedules } from './ex6-schedules.js';
import { ex7 } from './ex7.js';

/** Every bugged variant of the course, at least one per component (tests/tools check it). */
export const bugged: readonly BuggedVariant[] = [
  ...ex1,
  ...ex2Optimizers,
  ...ex2Conv,
  ...ex3,
  ...ex4,
  ...ex5,
  ...ex6Pooling,
  ...ex6Layers,
  ...ex6Attention,
  ...ex6Schedules,
  ...ex7,
];
