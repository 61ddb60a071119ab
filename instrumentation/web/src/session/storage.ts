/** The key-value store sessions and the offline outbox live in. */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function memoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return {
    get: (k) => map.get(k) ?? null,
    set: (k, v) => void map.set(k, v),
    remove: (k) => void map.delete(k),
  };
}

/** document.cookie-backed store (shared by tabs of the origin) for when localStorage throws. */
export function cookieStore(maxAgeSeconds: number): KeyValueStore {
  const secure = typeof location !== 'undefined' && location.protocol === 'https:' ? '; Secure' : '';
  const write = (k: string, v: string, age: number) => {
    document.cookie = `${k}=${encodeURIComponent(v)}; path=/; max-age=${age}; SameSite=Lax${secure}`;
  };
  return {
    get(k) {
      for (const part of document.cookie.split('; ')) {
        const i = part.indexOf('=');
        if (part.slice(0, i) === k) return decodeURIComponent(part.slice(i + 1));
      }
      return null;
    },
    set: (k, v) => write(k, v, maxAgeSeconds),
    remove: (k) => write(k, '', 0),
  };
}

/** localStorage when it works (private modes and sandboxed frames may throw), else cookies, else memory. */
export function browserStore(maxAgeSeconds: number): KeyValueStore {
  try {
    const ls = globalThis.localStorage;
    ls.setItem('stitch.probe', '1');
    ls.removeItem('stitch.probe');
    return {
      get: (k) => ls.getItem(k),
      set: (k, v) => { try { ls.setItem(k, v); } catch { /* quota: drop */ } },
      remove: (k) => ls.removeItem(k),
    };
  } catch {
    try {
      const store = cookieStore(maxAgeSeconds);
      store.set('stitch.probe', '1');
      if (store.get('stitch.probe') === '1') { store.remove('stitch.probe'); return store; }
    } catch { /* no cookies either */ }
    return memoryStore();
  }
}
