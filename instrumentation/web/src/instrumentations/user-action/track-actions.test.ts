import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { SpanKind, trace, type Attributes, type Span } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { InstrumentationContext } from '../types.js';
import { actionContext } from './current-action.js';
import { defaultUserActionOptions } from './options.js';
import { trackActions } from './track-actions.js';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');

/**
 * Node's EventTarget does not bubble, so the "document" itself is the clicked node: its closest()
 * returns the interactive ancestor (a button holding a password-like text value we must never see).
 */
class FakeNode extends EventTarget {
  tagName = 'SPAN';
  button = { tagName: 'BUTTON', id: 'pay', value: 'hunter2' };
  closest(selector: string) {
    return selector.includes('button') ? this.button : null;
  }
}

function setup(options = defaultUserActionOptions) {
  const events: Array<{ name: string; attrs: Attributes; span?: Span }> = [];
  let activity = 0;
  const ctx = {
    tracer,
    emitEvent: (name: string, attrs?: Attributes, o?: { span?: Span }) => void events.push({ name, attrs: attrs ?? {}, span: o?.span }),
    privacy: { scrubUrl: (u: string) => u, describeTarget: (el: Element) => `${el.tagName.toLowerCase()}#${el.id || ''}` },
    shouldPropagate: () => false,
    sessionId: () => 's',
    recordActivity: () => void activity++,
    isExporterUrl: () => false,
    options: {},
  } satisfies InstrumentationContext;
  const node = new FakeNode();
  const stop = trackActions(ctx, options, node, () => '/checkout');
  return { node, events, stop, activity: () => activity };
}
const tick = () => new Promise((r) => setTimeout(r, 1));

describe('user actions', () => {
  beforeEach(() => exporter.reset());

  it('reports a click on the interactive ancestor as an event and a short span, never its value', async () => {
    const { node, events, stop, activity } = setup();
    node.dispatchEvent(new Event('click'));
    assert.equal(exporter.getFinishedSpans().length, 0, 'the span stays open until the click handlers ran');
    await tick();
    stop();
    const expected = { 'stitch.action.type': 'click', 'stitch.action.target': 'button#pay', 'url.path': '/checkout' };
    assert.equal(events[0]?.name, 'browser.user_action');
    assert.deepEqual(events[0]?.attrs, expected);
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.name, 'click');
    assert.equal(span?.kind, SpanKind.INTERNAL);
    assert.deepEqual(span?.attributes, expected);
    assert.equal(events[0]?.span?.spanContext().spanId, span?.spanContext().spanId);
    assert.ok(!JSON.stringify(events.map((e) => e.attrs)).includes('hunter2'));
    assert.equal(activity(), 1);
  });

  it('describes a submit by its form (the event target) and exposes the action context briefly', async () => {
    const { node, events, stop } = setup();
    node.dispatchEvent(new Event('submit'));
    assert.equal(events[0]?.attrs['stitch.action.target'], 'span#');
    const span = trace.getSpan(actionContext()!);
    assert.equal(span?.spanContext().spanId, events[0]?.span?.spanContext().spanId);
    assert.equal(actionContext(Date.now() + 101), undefined, 'not after parentWindowMs');
    stop();
    assert.equal(actionContext(), undefined, 'cleared on stop');
    await tick(); // let the span end inside this test
  });

  it('with spans off, emits only the event', async () => {
    const { node, events, stop } = setup({ ...defaultUserActionOptions, spans: false });
    node.dispatchEvent(new Event('click'));
    await tick();
    stop();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.span, undefined);
    assert.equal(exporter.getFinishedSpans().length, 0);
  });

  it('stops listening on stop', () => {
    const { node, events, stop } = setup();
    stop();
    node.dispatchEvent(new Event('click'));
    assert.equal(events.length, 0);
  });
});
