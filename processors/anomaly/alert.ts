import type { AnomalyConfig, SignalName } from './config.js';
import type { AnomalyEvent } from './engine.js';

/** The event name of the log records the processor emits. */
export const ALERT_EVENT_NAME = 'stitch.anomaly';

const ALERT_NAMES: Record<SignalName, string> = {
  session_error_rate: 'StitchSessionErrorRateAnomaly',
  failed_login_rate: 'StitchFailedLoginRateAnomaly',
};

export const alertNameOf = (signal: SignalName): string => ALERT_NAMES[signal];

/** A number for humans: rates as percentages, counts as they are. */
function show(signal: SignalName, value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return signal === 'session_error_rate' ? `${(value * 100).toFixed(1)}%` : value.toFixed(value % 1 === 0 ? 0 : 1);
}

/** A window as the config writes it: `1m`, `90s`. */
export const formatWindow = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);

/** One line: what is wrong, where, and by how much. */
export function summaryOf(event: AnomalyEvent): string {
  const what = event.signal === 'session_error_rate' ? 'session error rate' : 'failed logins';
  const where = `${event.service} ${event.version}`;
  if (event.state === 'resolved') return `${what} of ${where} back to normal`;
  return `${what} of ${where} is ${show(event.signal, event.judgement.observed)} over ${formatWindow(event.windowMs)} (baseline ${show(event.signal, event.judgement.baseline)})`;
}

export function descriptionOf(event: AnomalyEvent): string {
  const j = event.judgement;
  const per = event.signal === 'session_error_rate' ? 'sessions with an exception / sessions seen' : 'failed logins';
  return (
    `${per} over the last ${formatWindow(event.windowMs)}: observed ${show(event.signal, j.observed)}, EWMA baseline ${show(event.signal, j.baseline)}, ` +
    `z-score ${formatNumber(j.zScore)}, ${formatNumber(j.ratio)}× the baseline, ${j.events} events`
  );
}

export function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 100) / 100) : value > 0 ? '+Inf' : '-Inf';
}

/** The severity of the log record for the configured `severity` (OTLP severity numbers). */
export function severityOf(config: AnomalyConfig, state: AnomalyEvent['state']): { number: number; text: string } {
  if (state === 'resolved') return { number: 9, text: 'INFO' };
  if (config.severity === 'critical') return { number: 17, text: 'ERROR' };
  if (config.severity === 'info') return { number: 9, text: 'INFO' };
  return { number: 13, text: 'WARN' };
}
