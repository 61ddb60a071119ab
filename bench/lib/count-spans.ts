/**
 * Counts the spans of an OTLP/protobuf ExportTraceServiceRequest by walking field headers only
 * (ResourceSpans = 1 → ScopeSpans = 2 → Span = 2) without decoding or allocating: cheap enough for
 * the sink to run on every request without competing with the collector for CPU.
 */
export function countSpans(buf: Uint8Array): number {
  let spans = 0;
  forEachField(buf, 0, buf.length, 1, (rs, rsEnd) =>
    forEachField(buf, rs, rsEnd, 2, (ss, ssEnd) =>
      forEachField(buf, ss, ssEnd, 2, () => {
        spans++;
      }),
    ),
  );
  return spans;
}

let pos = 0;

function forEachField(buf: Uint8Array, start: number, end: number, fieldNumber: number, visit: (start: number, end: number) => void): void {
  pos = start;
  while (pos < end) {
    const tag = varint(buf);
    const wire = tag & 7;
    if (wire === 2) {
      const len = varint(buf);
      const fieldStart = pos;
      const fieldEnd = fieldStart + len;
      if (fieldEnd > end) throw new RangeError('a length-delimited field runs past its message');
      if (tag >>> 3 === fieldNumber) visit(fieldStart, fieldEnd);
      pos = fieldEnd;
    } else if (wire === 0) varint(buf);
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new RangeError(`unsupported wire type ${wire}`);
  }
  if (pos !== end) throw new RangeError('a field runs past its message');
}

function varint(buf: Uint8Array): number {
  let result = 0;
  let multiplier = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new RangeError('truncated varint');
    const b = buf[pos++]!;
    result += (b & 0x7f) * multiplier;
    if ((b & 0x80) === 0) return result;
    multiplier *= 128;
  }
  throw new RangeError('varint longer than 10 bytes');
}
