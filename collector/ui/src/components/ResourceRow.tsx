// One resource on the timeline: its URL and type, and a bar on the session's time axis stacked from
// its DNS / connect / TLS / request / response phases (the legend under it gives each in ms).
import type { TimelineEvent } from '../api.js';
import { formatDuration } from '../format.js';
import { formatBytes, resourceTiming } from '../resource-timing.js';

export function ResourceRow({ event, axis }: { event: TimelineEvent; axis: { startMs: number; spanMs: number } }) {
  const r = resourceTiming(event.attributes, event.text);
  const left = Math.min(Math.max(((event.timeMs - axis.startMs) / axis.spanMs) * 100, 0), 100);
  const width = (r.durationMs / axis.spanMs) * 100;
  return (
    <div class="api-call resource" data-testid="resource-row">
      <span>
        <strong>{r.initiatorType}</strong> <span class="url">{r.url}</span> <span class="muted">{formatDuration(r.durationMs)}</span>
        {r.transferSize !== undefined && <span class="muted"> · {formatBytes(r.transferSize)}</span>}
      </span>
      <span class="bar-track" aria-hidden="true">
        {/* A minimum width keeps the phases readable on a long session; min() keeps the bar inside the track. */}
        <span class="res-bar" style={{ left: `min(${left}%, calc(100% - 3rem))`, width: `${width}%` }}>
          {r.phases ? (
            <>
              {r.phases.map((p) => p.ms > 0 && <span key={p.key} class={`phase phase-${p.key}`} data-phase={p.key} style={{ flexGrow: p.ms }} />)}
              {r.otherMs > 0 && <span class="phase phase-other" data-phase="other" style={{ flexGrow: r.otherMs }} />}
            </>
          ) : (
            <span class="phase phase-other" data-phase="total" style={{ flexGrow: 1 }} />
          )}
        </span>
      </span>
      <span class="phases" data-testid="resource-phases">
        {r.phases
          ? r.phases.map((p) => (
              <span key={p.key} class={`phase-key phase-key-${p.key}`} data-phase={p.key}>
                {p.label} {formatDuration(p.ms)}
              </span>
            ))
          : <span class="muted">phases hidden by the server (no Timing-Allow-Origin)</span>}
      </span>
    </div>
  );
}
