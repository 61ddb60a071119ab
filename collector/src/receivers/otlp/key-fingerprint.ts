import { createHash } from 'node:crypto';

/** SHA-256 of a key: what is kept in memory and compared, so lengths never leak through timing. */
export function keyHash(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The first 6 hex digits of a key's SHA-256: enough to tell keys apart in logs, useless to an attacker. */
export function keyFingerprint(key: string): string {
  return keyHash(key).subarray(0, 3).toString('hex');
}
