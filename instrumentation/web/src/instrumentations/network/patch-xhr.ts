import { bodySize, contentLength } from './body-size.js';
import type { StartRequest } from './request-span.js';

type XhrProto = Pick<XMLHttpRequest, 'open' | 'send'>;

/**
 * Wraps `XMLHttpRequest.prototype.open/send`. The span ends on `loadend`; `error`, `abort` and
 * `timeout` mark it as failed. Returns a function that restores the originals.
 */
export function patchXhr(proto: XhrProto, start: StartRequest): () => void {
  const { open, send } = proto;
  const requests = new WeakMap<XMLHttpRequest, { method: string; url: string }>();
  let on = true;
  const wrappedOpen = function (this: XMLHttpRequest, ...args: unknown[]) {
    requests.set(this, { method: String(args[0]).toUpperCase(), url: String(args[1]) });
    return (open as (...a: unknown[]) => void).apply(this, args);
  };
  const wrappedSend = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const info = requests.get(this);
    const rs = on && info ? start(info.method, info.url, bodySize(body)) : undefined;
    if (rs) {
      // setRequestHeader appends, so the app's own baggage and ours become one comma-separated list.
      for (const [k, v] of Object.entries(rs.headers ?? {})) this.setRequestHeader(k, v);
      let failure: string | undefined;
      const onEvent = (e: ProgressEvent) => {
        if (e.type !== 'loadend') {
          failure = e.type;
          return;
        }
        for (const t of TYPES) this.removeEventListener(t, onEvent);
        rs.end({
          status: this.status || undefined,
          responseSize: contentLength(this.getResponseHeader('content-length')) ?? (e.loaded || undefined),
          error: failure || !this.status ? { name: failure ?? 'Error', message: `XHR ${failure ?? 'failed'}` } : undefined,
        });
      };
      for (const t of TYPES) this.addEventListener(t, onEvent);
    }
    return send.call(this, body);
  };
  proto.open = wrappedOpen as XhrProto['open'];
  proto.send = wrappedSend;
  return () => {
    on = false;
    if (proto.open === wrappedOpen) proto.open = open;
    if (proto.send === wrappedSend) proto.send = send;
  };
}

const TYPES = ['error', 'abort', 'timeout', 'loadend'] as const;
