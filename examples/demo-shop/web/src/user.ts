// Who signed in, remembered across page loads (the demo has no server-side login session).
const KEY = 'demo-shop.user';

export interface SignedInUser {
  id: number;
  email: string;
  name: string;
}

export function signedInUser(): SignedInUser | null {
  try {
    const stored = localStorage.getItem(KEY);
    return stored ? (JSON.parse(stored) as SignedInUser) : null;
  } catch {
    return null;
  }
}

export function rememberUser(user: SignedInUser): void {
  localStorage.setItem(KEY, JSON.stringify(user));
}

export function forgetUser(): void {
  localStorage.removeItem(KEY);
}
