// The session's timeline: page views, actions, API calls with a bar on the session's time axis,
// errors with their stack traces, Web Vitals rated good / needs improvement / poor, resources with
// their DNS/connect/TLS/request/response phases stacked into one bar.
import type { SessionDetailResponse, StoredSpan, TimelineEvent } from '../api.js';
import { formatDuration, formatNumber, formatOffset, formatTime } from '../format.js';
import { attributeString, buildTimeline, rateVital, timeAxis } from '../timeline.js';
import { ResourceRow } from './ResourceRow.js';

const RATING_LABEL = { good: 'good', 'needs-improvement': 'needs improvement', poor: 'poor' } as const;

function EventBody({ event }: { event: TimelineEvent }) {
  const a = event.attributes;
  switch (event.name) {
    case 'session.start':
      return <span class="muted">Session started</span>;
    case 'session.end':
      return <span class="muted">Session ended{attributeString(a, 'stitch.session.end_reason') ? ` (${attributeString(a, 'stitch.session.end_reason')})` : ''}</span>;
    case 'browser.page_view':
      return <span class="url">{event.text ?? attributeString(a, 'url.full') ?? 'unknown page'}</span>;
    case 'browser.user_action':
      return (
        <span>
          {attributeString(a, 'stitch.action.type') ?? 'action'} on <code>{event.text ?? attributeString(a, 'stitch.action.target') ?? '?'}</code>
        </span>
      );
    case 'exception': {
      const stack = attributeString(a, 'exception.stacktrace');
      const message = event.text ?? [attributeString(a, 'exception.type'), attributeString(a, 'exception.message')].filter(Boolean).join(': ');
      if (!stack) return <span class="error-text">{message}</span>;
      return (
        <details class="stack" data-testid="error-details">
          <summary class="error-text">{message || 'Error'}</summary>
          <pre data-testid="stack-trace">{stack}</pre>
        </details>
      );
    }
    case 'browser.web_vital': {
      const name = attributeString(a, 'stitch.web_vital.name') ?? 'vital';
      const value = event.value ?? Number(a['stitch.web_vital.value']);
      const rating = Number.isFinite(value) ? rateVital(name, value) : undefined;
      const shown = name.toUpperCase() === 'CLS' ? formatNumber(value, 3) : `${formatNumber(value)} ms`;
      return (
        <span>
          {name} {shown}{' '}
          {rating && (
            <span class={`vital vital-${rating}`} data-testid="vital-rating">
              {RATING_LABEL[rating]}
            </span>
          )}
        </span>
      );
    }
    default:
      return (
        <span>
          {event.text ?? ''}
        </span>
      );
  }
}

const EVENT_LABELS: Record<string, string> = {
  'session.start': 'Start',
  'session.end': 'End',
  'browser.page_view': 'Page view',
  'browser.user_action': 'Action',
  exception: 'Error',
  'browser.web_vital': 'Web Vital',
  'browser.resource_timing': 'Resource',
};

function ApiCall({ span, axis }: { span: StoredSpan; axis: { startMs: number; spanMs: number } }) {
  const left = ((span.startMs - axis.startMs) / axis.spanMs) * 100;
  const width = Math.max((span.durationMs / axis.spanMs) * 100, 0.5);
  const failed = span.statusCode === 2 || (span.httpStatus ?? 0) >= 400;
  return (
    <div class="api-call">
      <span>
        <strong>{span.httpMethod ?? span.name}</strong> <span class="url">{span.url ?? span.name}</span>{' '}
        <span class={failed ? 'status status-error' : 'status'}>{span.httpStatus ?? (failed ? 'error' : '–')}</span> <span class="muted">{formatDuration(span.durationMs)}</span>
      </span>
      <span class="bar-track" aria-hidden="true">
        <span class={failed ? 'bar bar-error' : 'bar'} style={{ left: `${Math.min(left, 99.5)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.5))}%` }} />
      </span>
    </div>
  );
}

export function Timeline({ detail }: { detail: SessionDetailResponse }) {
  const items = buildTimeline(detail);
  const axis = timeAxis(detail);
  if (items.length === 0) return <p class="muted">No events recorded for this session.</p>;
  return (
    <ol class="timeline" data-testid="timeline">
      {items.map((item, index) => {
        const type = item.kind === 'api-call' ? 'api-call' : item.event.name;
        const label = item.kind === 'api-call' ? 'API call' : (EVENT_LABELS[item.event.name] ?? item.event.name);
        return (
          <li key={index} class={`tl-item tl-${type.replace(/[^a-z0-9]+/gi, '-')}`} data-testid="timeline-item" data-type={type}>
            <time dateTime={new Date(item.timeMs).toISOString()} title={formatTime(item.timeMs)}>
              {formatOffset(item.timeMs - detail.session.startMs)}
            </time>
            <span class="tl-label">{label}</span>
            <div class="tl-body">
              {item.kind === 'api-call' ? (
                <ApiCall span={item.span} axis={axis} />
              ) : item.event.name === 'browser.resource_timing' ? (
                <ResourceRow event={item.event} axis={axis} />
              ) : (
                <EventBody event={item.event} />
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
