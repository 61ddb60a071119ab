import type { Context } from '@opentelemetry/api';

/**
 * The context of the latest user action span, shared with the network instrumentation: a fetch or XHR
 * started within `until` (epoch ms) of a click/submit becomes a child of that action's span, without a
 * zone.js-style context manager. A heuristic: unrelated requests in that window are parented too.
 */
let current: { ctx: Context; until: number } | undefined;

export function setActionContext(ctx: Context | undefined, until = 0): void {
  current = ctx && { ctx, until };
}

/** The latest action's context if it is still within its parenting window, else undefined. */
export function actionContext(now = Date.now()): Context | undefined {
  return current && now <= current.until ? current.ctx : undefined;
}
