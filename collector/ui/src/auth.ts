// The sessions API token the user signed in with. Kept in sessionStorage: it lasts as long as the
// tab, never reaches another origin or a cookie, and a closed tab signs out.
const KEY = 'stitch.token';

function readStoredToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled: the user signs in on each load
  }
}

// Read once at load; storeToken keeps it and the storage in step.
let token = readStoredToken();

export function storeToken(next: string | undefined): void {
  token = next;
  try {
    if (next === undefined) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, next);
  } catch {
    // storage disabled: the token lives as long as this page
  }
}

/** The token to send, if any. */
export const currentToken = (): string | undefined => token;

type Listener = () => void;
const listeners = new Set<Listener>();
// A 401 can come before the App listens (prefetch.ts starts requests while modules load).
let pending = false;

/** Called when the API answers 401 (at once if one came already): the App shows the sign-in page. */
export function onSignInNeeded(listener: Listener): () => void {
  listeners.add(listener);
  if (pending) listener();
  return () => listeners.delete(listener);
}

export function signInNeeded(): void {
  pending = true;
  for (const listener of listeners) listener();
}

export function signedIn(token: string): void {
  storeToken(token);
  pending = false;
}
