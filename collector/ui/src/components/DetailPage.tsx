// One session: overview, who and where, the timeline, and its traces with Jaeger links.
import { useLayoutEffect, useState } from 'preact/hooks';
import { ApiError, fetchSession, type SessionDetailResponse } from '../api.js';
import { countryName, formatDateTime, formatDuration, formatVersioned } from '../format.js';
import { followLink } from '../router.js';
import { CopyButton } from './CopyButton.js';
import { ErrorMessage, GeoCredit, Loading } from './Notices.js';
import { userLabel } from './SessionTable.js';
import { Timeline } from './Timeline.js';
import { Traces } from './Traces.js';

function Facts({ items }: { items: [string, string | null][] }) {
  return (
    <dl class="facts">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value ?? '–'}</dd>
        </div>
      ))}
    </dl>
  );
}

/** `initial`: the request LazyDetailPage started while this page's code was loading. */
export function DetailPage({ sessionId, initial }: { sessionId: string; initial?: Promise<SessionDetailResponse> }) {
  const [state, setState] = useState<{ detail?: SessionDetailResponse; error?: unknown }>({});

  // Layout effect: the request starts right after render, not a frame later.
  useLayoutEffect(() => {
    document.title = `Session ${sessionId} · Stitch`;
    const abort = new AbortController();
    (initial ?? fetchSession(sessionId, abort.signal)).then(
      (detail) => !abort.signal.aborted && setState({ detail }),
      (error: unknown) => !abort.signal.aborted && setState({ error }),
    );
    return () => abort.abort();
  }, [sessionId]);

  const back = (
    <p>
      <a href="/" onClick={followLink} data-testid="back-to-list">
        ← All sessions
      </a>
    </p>
  );
  if (state.error !== undefined) {
    const notFound = state.error instanceof ApiError && state.error.status === 404;
    return (
      <>
        {back}
        <h1 tabIndex={-1}>{notFound ? 'Session not found' : 'Session'}</h1>
        <ErrorMessage error={state.error}>{notFound && <p>It may have been erased, or be older than the store's retention.</p>}</ErrorMessage>
      </>
    );
  }
  if (!state.detail) {
    return (
      <>
        {back}
        <h1 tabIndex={-1}>Session</h1>
        <Loading what="the session" />
      </>
    );
  }
  const { session: s } = state.detail;
  return (
    <div data-testid="session-detail">
      {back}
      <h1 tabIndex={-1}>
        Session <span class="muted">{formatDateTime(s.startMs)}</span>
      </h1>
      <p class="session-id">
        <code data-testid="session-id">{s.sessionId}</code> <CopyButton text={s.sessionId} label="Copy session id" />
      </p>
      <dl class="kpis" aria-label="Overview">
        {(
          [
            ['Duration', formatDuration(s.durationMs)],
            ['Page views', String(s.pageViews)],
            ['Actions', String(s.userActions)],
            ['API calls', String(s.apiCalls)],
            ['Errors', String(s.errors)],
          ] as const
        ).map(([label, value]) => (
          <div class={label === 'Errors' && s.errors > 0 ? 'kpi kpi-error' : 'kpi'} key={label} data-testid={`overview-${label.toLowerCase().replace(' ', '-')}`}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <div class="panels">
        <section aria-labelledby="h-user">
          <h2 id="h-user">User and app</h2>
          <Facts
            items={[
              ['User', userLabel(s)],
              ['User id', s.userId],
              ['App', s.service],
              ['Version', s.appVersion],
              ['Environment', s.environment],
              ['Entry page', s.entryUrl],
              ['Exit page', s.exitUrl],
              ['Status', s.ended ? 'Ended' : 'Active or not yet ended'],
            ]}
          />
        </section>
        <section aria-labelledby="h-device">
          <h2 id="h-device">Device and network</h2>
          <Facts
            items={[
              ['Browser', formatVersioned(s.browser, s.browserVersion)],
              ['OS', formatVersioned(s.os, s.osVersion)],
              ['Device', s.deviceType],
              ['Screen', s.screen],
              ['Viewport', s.viewport],
              ['Connection', s.connectionType],
              ['Effective type', s.effectiveType],
            ]}
          />
        </section>
        <section aria-labelledby="h-geo">
          <h2 id="h-geo">Location</h2>
          <Facts
            items={[
              ['Country', s.country ? `${countryName(s.country)} (${s.country})` : null],
              ['Region', s.region],
              ['City', s.city],
            ]}
          />
          <GeoCredit />
        </section>
      </div>
      <section aria-labelledby="h-timeline">
        <h2 id="h-timeline">Timeline</h2>
        <Timeline detail={state.detail} />
        {state.detail.spansOmitted > 0 && <p class="muted">{state.detail.spansOmitted} later spans are not shown.</p>}
      </section>
      <section aria-labelledby="h-traces">
        <h2 id="h-traces">Traces ({state.detail.traces.length})</h2>
        <Traces detail={state.detail} />
      </section>
    </div>
  );
}
