import type { Instrumentation } from '../types.js';
import { userActionOptions } from './options.js';
import { trackActions } from './track-actions.js';

/** Clicks and form submits → `browser.user_action` events and short `click` / `submit` spans. */
export const userActionInstrumentation: Instrumentation = {
  name: 'user-action',
  initialize(ctx) {
    if (typeof document === 'undefined') return () => {};
    return trackActions(ctx, userActionOptions(ctx.options), document, () => location.pathname);
  },
};

export type { UserActionOptions } from './options.js';
export { actionContext } from './current-action.js';
