/**
 * Finds where given length-delimited top-level fields sit in an encoded message, without decoding
 * or allocating: the receiver runs this once per span, so it is the collector's hottest loop.
 * `ranges[2i]`/`ranges[2i + 1]` get the start/end offsets of `fields[i]` (-1 when absent; the last
 * occurrence wins, as protobuf's merge rule says). Throws RangeError on malformed input.
 */
export function scanFieldRanges(bytes: Uint8Array, fields: readonly number[], ranges: Int32Array): void {
  ranges.fill(-1);
  const length = bytes.length;
  let pos = 0;
  while (pos < length) {
    let tag = 0;
    let shift = 0;
    let byte: number;
    do {
      if (pos >= length || shift > 28) throw new RangeError('truncated or overlong field tag');
      byte = bytes[pos++]!;
      tag |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    switch (tag & 7) {
      case 0:
        do {
          if (pos >= length) throw new RangeError('truncated varint');
        } while (bytes[pos++]! & 0x80);
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        let size = 0;
        shift = 0;
        do {
          if (pos >= length || shift > 28) throw new RangeError('truncated or overlong length');
          byte = bytes[pos++]!;
          size |= (byte & 0x7f) << shift;
          shift += 7;
        } while (byte & 0x80);
        const start = pos;
        pos += size >>> 0;
        const index = fields.indexOf(tag >>> 3);
        if (index >= 0) {
          ranges[2 * index] = start;
          ranges[2 * index + 1] = pos;
        }
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new RangeError(`invalid wire type ${tag & 7}`);
    }
  }
  if (pos > length) throw new RangeError('a field runs past the end of its message');
}
