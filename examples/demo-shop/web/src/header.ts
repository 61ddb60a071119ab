// The header on every page: the cart count and who is signed in.
import type { Cart } from './api.js';
import { h } from './dom.js';
import { identify, track } from './telemetry.js';
import { forgetUser, signedInUser } from './user.js';

export function showCartCount(cart: Pick<Cart, 'count'>): void {
  const count = document.querySelector<HTMLElement>('[data-testid="cart-count"]');
  if (count) count.textContent = String(cart.count);
}

export function showAccount(): void {
  const slot = document.getElementById('account');
  if (!slot) return;
  const user = signedInUser();
  if (!user) {
    slot.replaceChildren(h('a', { href: '/login.html', 'data-testid': 'login-link' }, 'Sign in'));
    return;
  }
  const signOut = h('button', { type: 'button', class: 'link', 'data-testid': 'logout' }, 'Sign out');
  signOut.addEventListener('click', () => {
    forgetUser();
    identify(null);
    track('shop.logout');
    showAccount();
  });
  slot.replaceChildren(h('span', { 'data-testid': 'signed-in-as' }, `Hi, ${user.name}`), ' ', signOut);
}
