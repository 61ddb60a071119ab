/** How many resource/scope groups and items (spans, log records, metrics) an export request holds. */
export interface RequestCounts {
  groups: number;
  items: number;
}

// Export*ServiceRequest, Resource* and Scope* share field numbers: 2 holds the children at both
// levels below the request's 1 (resource groups).
const GROUPS = (1 << 3) | 2;
const CHILDREN = (2 << 3) | 2;

/**
 * Counts groups and items of an OTLP/protobuf export request from its framing alone, so a body
 * of millions of two-byte empty spans is refused before a record object is made for each.
 * Stops at the first malformed byte: the decoder then reports it properly.
 */
export function countProtobufRequest(body: Uint8Array): RequestCounts {
  const counts: RequestCounts = { groups: 0, items: 0 };
  let pos = 0;
  const varint = (end: number): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 5 && pos < end; i++) {
      const byte = body[pos++]!;
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return value;
    }
    return -1;
  };
  /** Walks one message; `level` 0 request, 1 resource group, 2 scope group. */
  const walk = (end: number, level: number): boolean => {
    while (pos < end) {
      const tag = varint(end);
      if (tag < 0) return false;
      switch (tag & 7) {
        case 0:
          if (varint(end) < 0) return false;
          break;
        case 1:
          pos += 8;
          break;
        case 5:
          pos += 4;
          break;
        case 2: {
          const length = varint(end);
          const fieldEnd = pos + length;
          if (length < 0 || fieldEnd > end) return false;
          if (level === 0 && tag === GROUPS) {
            counts.groups++;
            if (!walk(fieldEnd, 1)) return false;
          } else if (level === 1 && tag === CHILDREN) {
            counts.groups++;
            if (!walk(fieldEnd, 2)) return false;
          } else if (level === 2 && tag === CHILDREN) {
            counts.items++;
          }
          pos = fieldEnd;
          break;
        }
        default:
          return false;
      }
    }
    return pos === end;
  };
  walk(body.length, 0);
  return counts;
}

/** Groups and items of a decoded batch (metrics count as one each here; points are counted later). */
export function countBatch(batch: { resources: { scopes: { items: unknown[] }[] }[] }): RequestCounts {
  const counts: RequestCounts = { groups: 0, items: 0 };
  for (const resource of batch.resources) {
    counts.groups += 1 + resource.scopes.length;
    for (const scope of resource.scopes) counts.items += scope.items.length;
  }
  return counts;
}
