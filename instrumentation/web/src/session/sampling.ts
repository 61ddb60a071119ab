/**
 * Deterministic sampling from the session id: FNV-1a of the id, mod 10000, below rate×100.
 * The same id always gives the same answer, in every tab and on the collector if it wants to check.
 */
export function isSampled(sessionId: string, ratePercent: number): boolean {
  if (ratePercent >= 100) return true;
  if (ratePercent <= 0) return false;
  let h = 0x811c9dc5;
  for (let i = 0; i < sessionId.length; i++) {
    h ^= sessionId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 10000 < ratePercent * 100;
}
