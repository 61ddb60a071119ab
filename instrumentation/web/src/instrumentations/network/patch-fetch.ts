import { bodySize, contentLength } from './body-size.js';
import type { StartRequest } from './request-span.js';
import type { ResourceTimingWaiter } from './resource-timing.js';

const now = () => performance.timeOrigin + performance.now();

/**
 * Wraps `target.fetch`. The body is never read: with a `waiter`, the span ends at the resource
 * timing entry's responseEnd (body fully arrived; its encoded size fills in a missing
 * Content-Length), else — or when the entry does not come in time — when the headers arrived.
 * Returns a function that restores the original.
 */
export function patchFetch(target: { fetch: typeof fetch }, start: StartRequest, waiter?: ResourceTimingWaiter): () => void {
  const original = target.fetch;
  if (typeof original !== 'function') return () => {};
  let on = true;
  const wrapped = function (this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    if (!on) return original.call(this, input, init);
    const req = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
    const method = (init?.method ?? req?.method ?? 'GET').toUpperCase();
    const url = req ? req.url : String(input instanceof URL ? input.href : input);
    const userHeaders = init?.headers ?? req?.headers;
    let headers = userHeaders ? new Headers(userHeaders) : undefined;
    const rs = start(method, url, bodySize(init?.body), headers?.get('baggage'));
    if (!rs) return original.call(this, input, init);
    if (rs.headers) {
      headers ??= new Headers();
      for (const [k, v] of Object.entries(rs.headers)) headers.set(k, v);
      init = { ...init, headers };
    }
    let p: Promise<Response>;
    const startedAt = performance.now();
    try {
      p = original.call(this, input, init);
    } catch (error) {
      rs.end({ error });
      throw error;
    }
    p.then(
      (r) => {
        const status = r.status || undefined;
        const size = contentLength(r.headers.get('content-length'));
        if (!waiter) return rs.end({ status, responseSize: size });
        const headersAt = now();
        waiter.wait(rs.url, startedAt, (e) =>
          rs.end({
            status,
            responseSize: size ?? (e?.encodedBodySize || undefined),
            endTime: e ? performance.timeOrigin + e.responseEnd : headersAt,
          }),
        );
      },
      (error: unknown) => rs.end({ error: error ?? 'Error' }),
    );
    return p;
  };
  target.fetch = wrapped as typeof fetch;
  return () => {
    on = false; // if someone wrapped us since, we stay in their chain as a pass-through
    if (target.fetch === wrapped) target.fetch = original;
  };
}
