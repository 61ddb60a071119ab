import type { Instrumentation } from '../types.js';
import { errorsOptions } from './options.js';
import { trackErrors } from './track-errors.js';

/** Uncaught errors, unhandled rejections, failed resources and opt-in console.error → `exception` events. */
export const errorsInstrumentation: Instrumentation = {
  name: 'errors',
  initialize(ctx) {
    if (typeof addEventListener !== 'function') return () => {};
    return trackErrors(ctx, errorsOptions(ctx.options), globalThis as unknown as Window, globalThis.console);
  },
};

export type { ErrorsOptions } from './options.js';
