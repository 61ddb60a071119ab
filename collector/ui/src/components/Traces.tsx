// Every trace of the session with a link into Jaeger, and the links to all of them at once.
import type { SessionDetailResponse } from '../api.js';
import { formatDuration, formatOffset } from '../format.js';

export function Traces({ detail }: { detail: SessionDetailResponse }) {
  const { traces, jaeger } = detail;
  return (
    <>
      {jaeger ? (
        <p class="jaeger-links">
          {jaeger.allTracesUrl && (
            <a href={jaeger.allTracesUrl} target="_blank" rel="noopener noreferrer" data-testid="jaeger-all">
              All traces of this session in Jaeger{jaeger.tracesInUrl < traces.length ? ` (first ${jaeger.tracesInUrl})` : ''}
            </a>
          )}
          {jaeger.sessionSearchUrl && (
            <a href={jaeger.sessionSearchUrl} target="_blank" rel="noopener noreferrer" data-testid="jaeger-search">
              Search Jaeger by session id
            </a>
          )}
        </p>
      ) : (
        <p class="muted">Set <code>jaeger_ui_url</code> under <code>extensions.sessions_api</code> to get links into Jaeger.</p>
      )}
      {traces.length === 0 ? (
        <p class="muted">This session caused no traces.</p>
      ) : (
        <div class="table-wrap">
          <table class="traces" data-testid="traces-table">
            <thead>
              <tr>
                <th scope="col">Trace</th>
                <th scope="col">At</th>
                <th scope="col">Duration</th>
                <th scope="col">Spans</th>
                <th scope="col">Status</th>
                <th scope="col">Services</th>
                <th scope="col">
                  <span class="visually-hidden">Link</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {traces.map((trace) => (
                <tr key={trace.traceId} data-testid="trace-row" data-trace-id={trace.traceId}>
                  <td data-label="Trace">
                    <span class="trace-name">{trace.rootName}</span>
                    <code class="trace-id">{trace.traceId}</code>
                  </td>
                  <td data-label="At">{formatOffset(trace.startMs - detail.session.startMs)}</td>
                  <td data-label="Duration">{formatDuration(trace.durationMs)}</td>
                  <td data-label="Spans">{trace.spanCount}</td>
                  <td data-label="Status">
                    {trace.errorCount > 0 ? <span class="badge badge-error">{trace.errorCount} error{trace.errorCount === 1 ? '' : 's'}</span> : <span class="badge badge-ok">OK</span>}
                  </td>
                  <td data-label="Services">{trace.services.join(', ')}</td>
                  <td data-label="Jaeger">
                    {trace.jaegerUrl && (
                      <a href={trace.jaegerUrl} target="_blank" rel="noopener noreferrer" data-testid="jaeger-trace">
                        Open in Jaeger<span class="visually-hidden"> (trace {trace.traceId})</span>
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
