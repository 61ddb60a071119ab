const HEX = /^[0-9a-fA-F]*$/;

export function bytesToHex(bytes: Uint8Array | undefined | null): string {
  if (!bytes || bytes.length === 0) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

/** Returns undefined when the text is not an even-length hex string. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !HEX.test(hex)) return undefined;
  return Buffer.from(hex, 'hex');
}

function allZero(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Explains why an id is invalid, or returns undefined. `optional` ids may be empty. */
export function checkId(
  field: string,
  bytes: Uint8Array | undefined | null,
  size: 16 | 8,
  optional: boolean,
): string | undefined {
  return checkIdRange(field, bytes ?? EMPTY, 0, bytes?.length ?? 0, size, optional);
}

const EMPTY = new Uint8Array(0);

/** `checkId` for the id at `bytes[start, end)`, read in place; start -1 means absent. */
export function checkIdRange(
  field: string,
  bytes: Uint8Array,
  start: number,
  end: number,
  size: 16 | 8,
  optional: boolean,
): string | undefined {
  const length = start < 0 ? 0 : end - start;
  if (length === 0) return optional ? undefined : `${field} is missing`;
  if (length !== size) return `${field} must be ${size} bytes (${size * 2} hex characters), got ${length}`;
  if (allZero(bytes, start, end)) return `${field} is all zeros`;
  return undefined;
}
