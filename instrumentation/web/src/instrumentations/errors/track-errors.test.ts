import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes } from '@opentelemetry/api';
import type { InstrumentationContext } from '../types.js';
import { defaultErrorsOptions, type ErrorsOptions } from './options.js';
import { trackErrors } from './track-errors.js';

type Listener = (e: Event) => void;

/** A window that records its listeners so tests can hand them browser-shaped events. */
function setup(options: Partial<ErrorsOptions> = {}) {
  const listeners = new Map<string, Listener>();
  const win = {
    addEventListener: (type: string, l: Listener) => void listeners.set(type, l),
    removeEventListener: (type: string) => void listeners.delete(type),
  };
  const logged: unknown[][] = [];
  const con = { error: (...args: unknown[]) => void logged.push(args) };
  const originalError = con.error;
  const events: Array<{ name: string; attrs: Attributes; severity?: string }> = [];
  const ctx = {
    tracer: undefined as never,
    emitEvent: (name: string, attrs?: Attributes, o?: { severity?: string }) => void events.push({ name, attrs: attrs ?? {}, severity: o?.severity }),
    privacy: { scrubUrl: (u: string) => u.replace(/\?.*/, '?REDACTED'), describeTarget: () => '' },
    shouldPropagate: () => false,
    sessionId: () => 's',
    recordActivity() {},
    isExporterUrl: () => false,
    options: {},
  } satisfies InstrumentationContext;
  const stop = trackErrors(ctx, { ...defaultErrorsOptions, ...options }, win, con);
  const fire = (type: string, event: object) => listeners.get(type)?.(event as Event);
  return { fire, events, stop, con, originalError, logged, listeners };
}

describe('errors', () => {
  it('reports an uncaught error as an exception event with stack and location', () => {
    const { fire, events } = setup();
    const error = new TypeError("Cannot read properties of undefined (reading 'id')");
    fire('error', { target: globalThis, error, message: 'Uncaught TypeError', filename: 'https://shop.example.com/app.js?v=3', lineno: 10, colno: 5 });
    assert.equal(events.length, 1);
    const { name, attrs, severity } = events[0]!;
    assert.equal(name, 'exception');
    assert.equal(severity, 'ERROR');
    assert.equal(attrs['exception.type'], 'TypeError');
    assert.equal(attrs['exception.message'], "Cannot read properties of undefined (reading 'id')");
    assert.equal(attrs['exception.stacktrace'], error.stack);
    assert.equal(attrs['stitch.error.source'], 'onerror');
    assert.equal(attrs['code.file.path'], 'https://shop.example.com/app.js?REDACTED');
    assert.equal(attrs['code.line.number'], 10);
    assert.equal(attrs['code.column.number'], 5);
  });

  it('reports cross-origin "Script error." by its message', () => {
    const { fire, events } = setup();
    fire('error', { target: globalThis, error: null, message: 'Script error.' });
    assert.deepEqual([events[0]?.attrs['exception.type'], events[0]?.attrs['exception.message']], ['Error', 'Script error.']);
  });

  it('reports unhandled rejections, including non-Error reasons', () => {
    const { fire, events } = setup();
    fire('unhandledrejection', { reason: new Error('payment declined') });
    fire('unhandledrejection', { reason: 'timeout' });
    assert.deepEqual(events.map((e) => [e.attrs['stitch.error.source'], e.attrs['exception.type'], e.attrs['exception.message']]), [
      ['unhandledrejection', 'Error', 'payment declined'],
      ['unhandledrejection', 'UnhandledRejection', 'timeout'],
    ]);
  });

  it('reports failed resources with their tag and scrubbed URL', () => {
    const { fire, events } = setup();
    fire('error', { target: { tagName: 'IMG', src: 'https://cdn.example.com/a.png?sig=abc' } });
    assert.deepEqual(events[0]?.attrs, {
      'exception.type': 'ResourceError',
      'exception.message': 'Failed to load img https://cdn.example.com/a.png?REDACTED',
      'stitch.error.source': 'resource',
      'url.full': 'https://cdn.example.com/a.png?REDACTED',
      'stitch.error.tag': 'img',
    });
  });

  it('dedupes bursts of the same error and caps per page', () => {
    const { fire, events } = setup({ maxPerPage: 3 });
    for (let i = 0; i < 50; i++) fire('error', { target: globalThis, error: new Error('loop') });
    assert.equal(events.length, 1);
    for (let i = 0; i < 5; i++) fire('unhandledrejection', { reason: new Error(`e${i}`) });
    assert.equal(events.length, 3);
  });

  it('leaves console.error alone unless captureConsole is on', () => {
    const { con, originalError, events } = setup();
    assert.equal(con.error, originalError);
    con.error('x');
    assert.equal(events.length, 0);
  });

  it('captures console.error when asked, still logs, and restores on stop', () => {
    const { con, originalError, events, logged, stop, listeners } = setup({ captureConsole: true });
    con.error('checkout failed', new Error('500'));
    assert.deepEqual(logged, [['checkout failed', new Error('500')]]);
    assert.equal(events[0]?.attrs['stitch.error.source'], 'console');
    assert.equal(events[0]?.attrs['exception.message'], 'checkout failed 500');
    stop();
    assert.equal(con.error, originalError);
    assert.equal(listeners.size, 0);
  });
});
