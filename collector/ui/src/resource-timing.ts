// Reads a `browser.resource_timing` event (from @stitch/web's resource-timing instrumentation) into
// the phases the timeline stacks into one bar. Pure, so it is tested without a browser.

export type PhaseKey = 'dns' | 'connect' | 'tls' | 'request' | 'response';

/** In the order they happen, so they stack left to right. */
export const RESOURCE_PHASES: readonly { key: PhaseKey; label: string }[] = [
  { key: 'dns', label: 'DNS' },
  { key: 'connect', label: 'connect' },
  { key: 'tls', label: 'TLS' },
  { key: 'request', label: 'request' },
  { key: 'response', label: 'response' },
];

export interface ResourceTiming {
  url: string;
  initiatorType: string;
  durationMs: number;
  transferSize: number | undefined;
  /** Undefined when the server sent no Timing-Allow-Origin: the browser hid the phases. */
  phases: { key: PhaseKey; label: string; ms: number }[] | undefined;
  /** Duration not in any phase: queueing, stalls, gaps between phases. */
  otherMs: number;
}

const num = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

export function resourceTiming(attributes: Record<string, unknown>, text: string | null = null): ResourceTiming {
  const durationMs = num(attributes['stitch.resource.duration_ms']) ?? 0;
  const measured = RESOURCE_PHASES.map((p) => ({ ...p, ms: num(attributes[`stitch.resource.${p.key}_ms`]) }));
  const phases = measured.some((p) => p.ms !== undefined) ? measured.map((p) => ({ ...p, ms: p.ms ?? 0 })) : undefined;
  const phaseMs = phases?.reduce((sum, p) => sum + p.ms, 0) ?? 0;
  return {
    url: text ?? String(attributes['url.full'] ?? 'unknown resource'),
    initiatorType: String(attributes['stitch.resource.initiator_type'] ?? 'resource'),
    durationMs: Math.max(durationMs, phaseMs),
    transferSize: num(attributes['stitch.resource.transfer_size']),
    phases,
    otherMs: phases ? Math.max(durationMs - phaseMs, 0) : 0,
  };
}

/** `512 B`, `47.1 KB`, `2.3 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
