// The session page's code (timeline, traces, resource rows) is a separate chunk, so the sessions
// list — the first page most people open — evaluates less script before its rows appear. The
// chunk and the session's data load in parallel; after the list has rendered, the chunk is
// fetched in idle time so opening a session does not wait for it.
import { useLayoutEffect, useState } from 'preact/hooks';
import { fetchSession, type SessionDetailResponse } from '../api.js';
import { ErrorMessage, Loading } from './Notices.js';

type DetailModule = typeof import('./DetailPage.js');
let detailModule: Promise<DetailModule> | undefined;

export function loadDetailPage(): Promise<DetailModule> {
  if (!detailModule) {
    detailModule = import('./DetailPage.js');
    // A failed load (a deploy replaced the chunk) may be retried by the next navigation.
    detailModule.catch(() => (detailModule = undefined));
  }
  return detailModule;
}

/** Loads the session page's chunk when the browser is idle. */
export function preloadDetailPage(): void {
  const load = () => void loadDetailPage().catch(() => undefined);
  if ('requestIdleCallback' in window) requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 200);
}

export function LazyDetailPage({ sessionId }: { sessionId: string }) {
  const [state, setState] = useState<{ module?: DetailModule; data?: Promise<SessionDetailResponse>; error?: unknown }>({});

  useLayoutEffect(() => {
    const data = fetchSession(sessionId);
    // Handled by DetailPage; this keeps an early failure from being reported as unhandled.
    data.catch(() => undefined);
    loadDetailPage().then(
      (module) => setState({ module, data }),
      (error: unknown) => setState({ error: new Error(`Could not load the session page's code (${(error as Error).message}). Reload the page.`) }),
    );
  }, [sessionId]);

  if (state.error !== undefined) return <ErrorMessage error={state.error} />;
  if (!state.module) return <Loading what="the session" />;
  const { DetailPage } = state.module;
  return <DetailPage sessionId={sessionId} initial={state.data} />;
}
