const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when the JSON text nests objects and arrays deeper than `maxDepth`, read from the UTF-8
 * bytes before parsing (no byte of a multi-byte character is ASCII, so brackets and quotes are
 * never misread). The decoder recurses per level; this keeps a hostile nesting from reaching it.
 */
export function jsonNestsDeeperThan(body: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * The JSON nesting an OTLP request needs for values `valueDepth` deep: the request's own
 * structure down to an exemplar's attribute value is 15 levels, and each array or kvlist level
 * adds at most 4 (`{"kvlistValue":{"values":[{"value":{`).
 */
export function otlpJsonDepthFor(valueDepth: number): number {
  return 16 + 4 * (valueDepth + 1);
}
