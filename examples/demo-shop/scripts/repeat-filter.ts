// The collector repeats some lines for as long as a condition lasts: an exporter whose peer is
// down (Jaeger, when docker compose is not up) logs every retry, and the debug exporter logs every
// batch. In the demo's terminal, the first of each is information and the rest is noise.

/** Returns false for a line that repeats an earlier one from the same component with the same message. */
export function repeatFilter(note: (line: string) => void): (line: string) => boolean {
  const seen = new Set<string>();
  return (line) => {
    if (!line.startsWith('{')) return true;
    let record: { component?: unknown; msg?: unknown };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      return true;
    }
    if (typeof record.component !== 'string' || typeof record.msg !== 'string') return true;
    const key = `${record.component}\u0000${record.msg}`;
    if (!seen.has(key)) {
      seen.add(key);
      return true;
    }
    if (seen.has(`${key}\u0000noted`)) return false;
    seen.add(`${key}\u0000noted`);
    note(`(more "${record.msg}" lines from ${record.component} are not shown)`);
    return false;
  };
}
