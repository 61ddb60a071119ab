import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes } from '@opentelemetry/api';
import type { InstrumentationContext } from '../types.js';
import { trackPageViews, type PageViewWindow } from './track-page-views.js';

/** A window with a working history/location pair and real EventTarget listeners. */
function fakeWindow(href = 'https://shop.example.com/?q=1') {
  const target = new EventTarget();
  const location = new URL(href);
  const history = {
    pushState(_s: unknown, _t: string, url?: string | URL | null) {
      if (url != null) location.href = new URL(url, location.href).href;
    },
    replaceState(_s: unknown, _t: string, url?: string | URL | null) {
      if (url != null) location.href = new URL(url, location.href).href;
    },
  };
  const originals = { pushState: history.pushState, replaceState: history.replaceState };
  const win = {
    location,
    history,
    document: { referrer: 'https://search.example.org/?q=shoes', title: 'Cart – Jane Doe' },
    addEventListener: target.addEventListener.bind(target),
    removeEventListener: target.removeEventListener.bind(target),
    dispatch: (type: string) => target.dispatchEvent(new Event(type)),
  };
  return { win, originals };
}

function fakeContext(options: Record<string, unknown> = {}) {
  const events: Array<{ name: string; attrs: Attributes }> = [];
  let activity = 0;
  const ctx = {
    tracer: undefined as never,
    emitEvent: (name: string, attrs?: Attributes) => void events.push({ name, attrs: attrs ?? {} }),
    privacy: { scrubUrl: (u: string) => u.replace(/=[^&#]*/g, '=REDACTED'), describeTarget: () => '' },
    shouldPropagate: () => false,
    sessionId: () => 's',
    recordActivity: () => void activity++,
    isExporterUrl: () => false,
    options,
  } satisfies InstrumentationContext;
  return { ctx, events, activity: () => activity };
}
const tick = () => new Promise((r) => setTimeout(r, 1));

describe('page views', () => {
  it('reports the initial view with scrubbed URL, path, referrer, id and type; no title by default', () => {
    const { win } = fakeWindow();
    const { ctx, events, activity } = fakeContext();
    trackPageViews(ctx, win as unknown as PageViewWindow)();
    assert.equal(events.length, 1);
    const { name, attrs } = events[0]!;
    assert.equal(name, 'browser.page_view');
    assert.equal(attrs['url.full'], 'https://shop.example.com/?q=REDACTED');
    assert.equal(attrs['url.path'], '/');
    assert.equal(attrs['stitch.page.referrer'], 'https://search.example.org/?q=REDACTED');
    assert.equal(attrs['stitch.page_view.type'], 'initial');
    assert.match(String(attrs['stitch.page_view.id']), /^[0-9a-f]{16}$/);
    assert.equal(attrs['stitch.page.title'], undefined);
    assert.equal(activity(), 1);
  });

  it('reports SPA route changes once per new URL, with the previous URL as referrer', async () => {
    const { win } = fakeWindow();
    const { ctx, events } = fakeContext({ includeTitle: true });
    const stop = trackPageViews(ctx, win as unknown as PageViewWindow);
    win.history.pushState({}, '', '/products');
    win.history.replaceState({}, '', '/products?page=2'); // same task: one view for the final URL
    await tick();
    win.history.replaceState({ scroll: 1 }, ''); // state only: same URL, no view
    await tick();
    win.location.href = 'https://shop.example.com/products?page=2#reviews';
    win.dispatch('hashchange');
    await tick();
    win.location.href = 'https://shop.example.com/';
    win.dispatch('popstate');
    await tick();
    stop();
    assert.deepEqual(events.map((e) => [e.attrs['url.path'], e.attrs['stitch.page_view.type']]), [
      ['/', 'initial'], ['/products', 'route_change'], ['/products', 'route_change'], ['/', 'route_change'],
    ]);
    assert.equal(events[1]?.attrs['stitch.page.referrer'], 'https://shop.example.com/?q=REDACTED');
    assert.equal(events[1]?.attrs['url.full'], 'https://shop.example.com/products?page=REDACTED');
    assert.equal(events[1]?.attrs['stitch.page.title'], 'Cart – Jane Doe');
    assert.notEqual(events[1]?.attrs['stitch.page_view.id'], events[2]?.attrs['stitch.page_view.id']);
  });

  it('restores history methods and stops listening on stop', async () => {
    const { win, originals } = fakeWindow();
    const { ctx, events } = fakeContext();
    const stop = trackPageViews(ctx, win as unknown as PageViewWindow);
    assert.notEqual(win.history.pushState, originals.pushState);
    stop();
    assert.equal(win.history.pushState, originals.pushState);
    assert.equal(win.history.replaceState, originals.replaceState);
    win.location.href = 'https://shop.example.com/elsewhere';
    win.dispatch('popstate');
    await tick();
    assert.equal(events.length, 1);
  });

  it('leaves a later wrapper in place and becomes a pass-through', async () => {
    const { win } = fakeWindow();
    const { ctx, events } = fakeContext();
    const stop = trackPageViews(ctx, win as unknown as PageViewWindow);
    const ours = win.history.pushState;
    let theirs = 0;
    win.history.pushState = function (...args) {
      theirs++;
      return ours.apply(this, args);
    };
    const wrapper = win.history.pushState;
    stop();
    assert.equal(win.history.pushState, wrapper);
    win.history.pushState({}, '', '/x');
    await tick();
    assert.equal(theirs, 1);
    assert.equal(win.location.pathname, '/x');
    assert.equal(events.length, 1);
  });
});
