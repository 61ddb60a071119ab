import { trace, type Attributes } from '@opentelemetry/api';
import type { InstrumentationContext } from '../types.js';
import { actionContext } from '../user-action/current-action.js';
import { describeConsoleArgs, describeError, type ErrorDescription } from './describe-error.js';
import { errorGuard } from './error-guard.js';
import type { ErrorsOptions } from './options.js';

export type ErrorSource = 'onerror' | 'unhandledrejection' | 'resource' | 'console';

export interface ErrorsWindow {
  addEventListener(type: string, listener: (e: Event) => void, options?: AddEventListenerOptions): void;
  removeEventListener(type: string, listener: (e: Event) => void, options?: EventListenerOptions): void;
}

/**
 * Reports uncaught errors, unhandled rejections, failed resources (img/script/link…, seen in the
 * capture phase) and opt-in console.error calls as `exception` log events with severity ERROR.
 */
export function trackErrors(
  ctx: InstrumentationContext,
  options: ErrorsOptions,
  win: ErrorsWindow,
  con: { error: (...args: unknown[]) => void } | undefined,
): () => void {
  const allow = errorGuard(options.dedupeWindowMs, options.maxPerPage);
  const report = (source: ErrorSource, d: ErrorDescription, extra?: Attributes) => {
    if (!allow(`${source}|${d.type}|${d.message}`)) return;
    const attrs: Attributes = {
      'exception.type': d.type,
      'exception.message': d.message,
      'stitch.error.source': source,
      ...extra,
    };
    if (d.stack) attrs['exception.stacktrace'] = d.stack;
    // Link the error to the active span, or to the user action that just happened.
    const ac = actionContext();
    const span = trace.getActiveSpan() ?? (ac && trace.getSpan(ac));
    ctx.emitEvent('exception', attrs, span ? { severity: 'ERROR', span } : { severity: 'ERROR' });
  };

  const onError = (event: Event) => {
    const t = event.target as Partial<Element> | null;
    if (t && typeof t.tagName === 'string') {
      const el = t as Element & { src?: string; href?: string };
      const tag = el.tagName.toLowerCase();
      const url = ctx.privacy.scrubUrl(String(el.src || el.href || el.getAttribute?.('src') || ''));
      report('resource', { type: 'ResourceError', message: `Failed to load ${tag} ${url}` }, {
        'url.full': url,
        'stitch.error.tag': tag,
      });
      return;
    }
    const e = event as ErrorEvent;
    const d = describeError(e.error ?? e.message);
    const extra: Attributes = {};
    if (e.filename) extra['code.file.path'] = ctx.privacy.scrubUrl(e.filename);
    if (e.lineno) extra['code.line.number'] = e.lineno;
    if (e.colno) extra['code.column.number'] = e.colno;
    report('onerror', d, extra);
  };
  const onRejection = (event: Event) =>
    report('unhandledrejection', describeError((event as PromiseRejectionEvent).reason, 'UnhandledRejection'));

  win.addEventListener('error', onError, { capture: true, passive: true });
  win.addEventListener('unhandledrejection', onRejection, { passive: true });

  let unpatch = () => {};
  if (options.captureConsole && con) {
    const original = con.error;
    let inside = false; // never report what reporting itself logs
    let on = true;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      if (on && !inside) {
        inside = true;
        try {
          report('console', describeConsoleArgs(args));
        } catch {
          // reporting must never break the app's logging
        } finally {
          inside = false;
        }
      }
      return original.apply(this, args);
    };
    con.error = wrapped;
    unpatch = () => {
      on = false; // if someone wrapped ours since, it stays in their chain as a pass-through
      if (con.error === wrapped) con.error = original;
    };
  }

  return () => {
    win.removeEventListener('error', onError, { capture: true });
    win.removeEventListener('unhandledrejection', onRejection);
    unpatch();
  };
}
