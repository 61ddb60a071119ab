/** 16 hex chars (64 random bits) from crypto.getRandomValues, with a Math.random fallback. */
export function randomId(): string {
  const bytes = new Uint8Array(8);
  if (typeof globalThis.crypto?.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < 8; i++) bytes[i] = (Math.random() * 256) | 0;
  let id = '';
  for (const b of bytes) id += (b < 16 ? '0' : '') + b.toString(16);
  return id;
}
