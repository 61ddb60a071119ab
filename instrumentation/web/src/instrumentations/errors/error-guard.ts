const MAX_KEYS = 100;

/**
 * Returns `allow(key, now)`: false for a key seen less than `windowMs` ago (a burst), and false for
 * everything once `max` keys were allowed (the per-page cap).
 */
export function errorGuard(windowMs: number, max: number): (key: string, now?: number) => boolean {
  const lastSeen = new Map<string, number>();
  let allowed = 0;
  return (key, now = Date.now()) => {
    if (allowed >= max) return false;
    const last = lastSeen.get(key);
    if (last !== undefined && now - last < windowMs) return false;
    lastSeen.delete(key); // re-insert so the Map's order is least recently seen first
    lastSeen.set(key, now);
    if (lastSeen.size > MAX_KEYS) lastSeen.delete(lastSeen.keys().next().value as string);
    allowed++;
    return true;
  };
}
