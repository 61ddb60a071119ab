// The children (collector, API) log JSON lines (pino). In a terminal, one readable line each reads
// better: "INFO  checkout completed  orderId=3 totalCents=1500".

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, or that the prefix already says; of the pino instrumentation's ids, trace_id is enough to find the trace. */
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'service', 'v', 'span_id', 'trace_flags']);

function show(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** A pino JSON line made readable; any other line as it is. */
export function readableLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof record.msg !== 'string' || typeof record.level !== 'number') return line;
  const fields = Object.entries(record)
    .filter(([key]) => !SKIP.has(key))
    .map(([key, value]) => (key === 'err' && value && typeof value === 'object' ? `err=${show((value as { message?: unknown }).message)}` : `${key}=${show(value)}`));
  return `${LEVELS[record.level] ?? String(record.level)} ${record.msg}${fields.length ? `  ${fields.join(' ')}` : ''}`;
}
