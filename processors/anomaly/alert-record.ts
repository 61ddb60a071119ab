import { bigIntToLong, LogRecordView, ResourceGroup, ResourceRecord, ScopeGroup, ScopeRecord, SignalBatch, toAnyValue, type AttributeValue, type KeyValue, type Logs } from '@stitch/collector-api';
import { ALERT_EVENT_NAME, formatWindow, severityOf, summaryOf } from './alert.js';
import type { AnomalyConfig } from './config.js';
import type { AnomalyEvent } from './engine.js';

const kv = (key: string, value: AttributeValue): KeyValue => ({ key, value: toAnyValue(value) });
/**
 * Always a double, so an attribute keeps one type across records; left out when not finite (a
 * ratio over a zero baseline), because OTLP/JSON has no way to write infinity.
 */
const double = (key: string, value: number): KeyValue[] => (Number.isFinite(value) ? [{ key, value: { doubleValue: value } }] : []);

/** The alert as an OTLP log event, so every exporter of the logs pipeline gets it like any record. */
export function alertRecord(event: AnomalyEvent, config: AnomalyConfig, nowMs: number): LogRecordView {
  const severity = severityOf(config, event.state);
  const j = event.judgement;
  const timeUnixNano = bigIntToLong(BigInt(Math.round(nowMs)) * 1_000_000n);
  const attributes: KeyValue[] = [
    kv('stitch.anomaly.signal', event.signal),
    kv('stitch.anomaly.state', event.state),
    kv('service.name', event.service),
    kv('service.version', event.version),
    ...double('stitch.anomaly.observed', j.observed),
    ...double('stitch.anomaly.baseline', j.baseline),
    ...double('stitch.anomaly.z_score', j.zScore),
    ...double('stitch.anomaly.ratio', j.ratio),
    kv('stitch.anomaly.events', j.events),
    kv('stitch.anomaly.window', formatWindow(event.windowMs)),
    kv('stitch.anomaly.started_at', new Date(event.startsAtMs).toISOString()),
  ];
  return LogRecordView.fromValue({
    timeUnixNano,
    observedTimeUnixNano: timeUnixNano,
    severityNumber: severity.number,
    severityText: severity.text,
    eventName: ALERT_EVENT_NAME,
    body: { stringValue: summaryOf(event) },
    attributes,
  });
}

/** One logs batch holding the alerts, under the collector's own resource (not the watched service's). */
export function alertBatch(events: readonly AnomalyEvent[], config: AnomalyConfig, componentId: string, nowMs: number): Logs {
  const resource = ResourceRecord.fromValue({ attributes: [kv('service.name', 'stitch-collector'), kv('stitch.component.id', componentId)] });
  const scope = ScopeRecord.fromValue({ name: '@stitch/processors/anomaly', attributes: [] });
  const records = events.map((event) => alertRecord(event, config, nowMs));
  return new SignalBatch('logs', [new ResourceGroup(resource, [new ScopeGroup(scope, records)])]);
}
