import type { Instrumentation } from './instrumentations/types.js';
import { pageLoadInstrumentation } from './instrumentations/page-load/index.js';
import { pageViewInstrumentation } from './instrumentations/page-view/index.js';
import { userActionInstrumentation } from './instrumentations/user-action/index.js';
import { networkInstrumentation } from './instrumentations/network/index.js';
import { errorsInstrumentation } from './instrumentations/errors/index.js';
import { webVitalsInstrumentation } from './instrumentations/web-vitals/index.js';
import { resourceTimingInstrumentation } from './instrumentations/resource-timing/index.js';

/**
 * The built-in auto-instrumentations, in start order (errors first, so it listens before the others
 * start). Each is turned off with `instrumentations: { <name>: false }` or configured with `{ <name>: {...} }`.
 * To add one: create src/instrumentations/<name>/index.ts exporting an `Instrumentation`, list it here.
 */
export const BUILT_IN_INSTRUMENTATIONS: readonly Instrumentation[] = [
  errorsInstrumentation,
  pageLoadInstrumentation,
  pageViewInstrumentation,
  userActionInstrumentation,
  networkInstrumentation,
  webVitalsInstrumentation,
  resourceTimingInstrumentation,
];
