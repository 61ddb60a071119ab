import { context, SpanKind, trace, type Attributes } from '@opentelemetry/api';
import type { InstrumentationContext } from '../types.js';
import { actionTarget } from './action-target.js';
import { setActionContext } from './current-action.js';
import type { UserActionOptions } from './options.js';

const TYPES = ['click', 'submit'] as const;

/**
 * Listens (capture phase, passive) for clicks and form submits on `target` (the document) and
 * reports each as a `browser.user_action` event plus, with `spans`, a `click`/`submit` span that
 * ends one task later and parents requests started within `parentWindowMs`.
 */
export function trackActions(
  ctx: InstrumentationContext,
  options: UserActionOptions,
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>,
  path: () => string,
): () => void {
  const onEvent = (event: Event) => {
    const el = actionTarget(event);
    if (!el) return;
    ctx.recordActivity();
    const attrs: Attributes = {
      'stitch.action.type': event.type,
      'stitch.action.target': ctx.privacy.describeTarget(el),
      'url.path': path(),
    };
    if (!options.spans) return ctx.emitEvent('browser.user_action', attrs);
    const span = ctx.tracer.startSpan(event.type, { kind: SpanKind.INTERNAL, attributes: attrs });
    setActionContext(trace.setSpan(context.active(), span), Date.now() + options.parentWindowMs);
    ctx.emitEvent('browser.user_action', attrs, { span });
    setTimeout(() => span.end(), 0);
  };
  for (const type of TYPES) target.addEventListener(type, onEvent, { capture: true, passive: true });
  return () => {
    for (const type of TYPES) target.removeEventListener(type, onEvent, { capture: true });
    setActionContext(undefined);
  };
}
