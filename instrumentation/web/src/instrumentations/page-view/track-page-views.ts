import type { InstrumentationContext } from '../types.js';
import { pageViewOptions } from './options.js';
import { pageViewReporter, type PageEnv } from './page-view-reporter.js';
import { patchHistory } from './patch-history.js';

export interface PageViewWindow extends PageEnv {
  history: Pick<History, 'pushState' | 'replaceState'>;
  addEventListener(type: string, listener: () => void, options?: AddEventListenerOptions): void;
  removeEventListener(type: string, listener: () => void): void;
}

/**
 * Reports the initial page view now and every SPA route change afterwards. Route changes are
 * read one task after pushState/replaceState/popstate/hashchange, so a push followed by a replace
 * in the same task gives one page view (and an opt-in title set synchronously is seen).
 */
export function trackPageViews(ctx: InstrumentationContext, win: PageViewWindow): () => void {
  if (!win.history || !win.location) return () => {};
  const report = pageViewReporter(ctx, pageViewOptions(ctx.options), win);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onChange = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      report('route_change');
    }, 0);
  };
  report('initial');
  const unpatch = patchHistory(win.history, onChange);
  win.addEventListener('popstate', onChange, { passive: true });
  win.addEventListener('hashchange', onChange, { passive: true });
  return () => {
    unpatch();
    clearTimeout(timer);
    win.removeEventListener('popstate', onChange);
    win.removeEventListener('hashchange', onChange);
  };
}
