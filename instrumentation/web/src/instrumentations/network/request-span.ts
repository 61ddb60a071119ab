import { context, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { InstrumentationContext } from '../types.js';
import { actionContext } from '../user-action/current-action.js';
import { isIgnored, type NetworkOptions } from './options.js';
import { propagationHeaders } from './propagation-headers.js';

export interface RequestResult {
  status?: number;
  responseSize?: number;
  error?: unknown;
  /** Epoch ms; default now. */
  endTime?: number;
}

export interface RequestSpan {
  /** The absolute URL (unscrubbed; never recorded as is). */
  url: string;
  /** Headers to add (traceparent, baggage), if this URL gets them. */
  headers?: Record<string, string>;
  end(result: RequestResult): void;
}

export type StartRequest = (
  method: string,
  url: string,
  requestSize?: number,
  existingBaggage?: string | null,
) => RequestSpan | undefined;

/** Makes the function fetch and XHR call per request: a CLIENT span, or undefined for untraced URLs. */
export function requestSpanStarter(ctx: InstrumentationContext, options: NetworkOptions, base?: string): StartRequest {
  return (method, rawUrl, requestSize, existingBaggage) => {
    let url: URL;
    try {
      url = new URL(rawUrl, base ?? globalThis.location?.href);
    } catch {
      return undefined; // let the original report the bad URL
    }
    const href = url.href;
    if (ctx.isExporterUrl(href) || isIgnored(href, options.ignoreUrls)) return undefined;
    const attributes: Attributes = {
      'http.request.method': method,
      'url.full': ctx.privacy.scrubUrl(href),
      'server.address': url.hostname,
    };
    if (url.port) attributes['server.port'] = Number(url.port);
    if (requestSize !== undefined) attributes['http.request.body.size'] = requestSize;
    const active = context.active();
    const parent = trace.getSpan(active) ? active : (actionContext() ?? active);
    const span = ctx.tracer.startSpan(`HTTP ${method}`, { kind: SpanKind.CLIENT, attributes }, parent);
    return {
      url: href,
      headers: propagationHeaders(href, span, ctx, existingBaggage),
      end({ status, responseSize, error, endTime }) {
        if (status) span.setAttribute('http.response.status_code', status);
        if (responseSize !== undefined) span.setAttribute('http.response.body.size', responseSize);
        if (error !== undefined) {
          const e = error as { name?: unknown; message?: unknown };
          span.setAttribute('error.type', typeof e?.name === 'string' ? e.name : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: typeof e?.message === 'string' ? e.message : undefined });
        } else if (status && status >= 400) {
          span.setAttribute('error.type', String(status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end(endTime);
      },
    };
  };
}
