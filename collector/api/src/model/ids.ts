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

function allZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Explains why an id is invalid, or returns undefined. `optional` ids may be empty. */
export function checkId(
  field: string,
  bytes: Uint8Array | undefined | null,
  size: 16 | 8,
  optional: boolean,
): string | undefined {
  const length = bytes?.length ?? 0;
  if (length === 0) return optional ? undefined : `${field} is missing`;
  if (length !== size) return `${field} must be ${size} bytes (${size * 2} hex characters), got ${length}`;
  if (allZero(bytes!)) return `${field} is all zeros`;
  return undefined;
}
