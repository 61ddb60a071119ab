// cart.html: the lines, remove buttons, the total and the way to checkout.
import type { Cart } from '../api.js';
import { clearError, formatPrice, h, mount, showError } from '../dom.js';
import { showCartCount } from '../header.js';
import { reportProblem, track } from '../telemetry.js';
import type { PageContext } from './context.js';

export async function renderCart({ api }: PageContext): Promise<void> {
  const draw = (cart: Cart): void => {
    showCartCount(cart);
    if (cart.items.length === 0) {
      mount(h('h1', {}, 'Your cart'), h('p', { 'data-testid': 'cart-empty' }, 'Your cart is empty. ', h('a', { href: '/' }, 'Find something nice.')));
      return;
    }
    const rows = cart.items.map((line) => {
      const remove = h('button', { type: 'button', class: 'link', 'data-testid': 'remove-item', 'data-product-id': String(line.productId) }, 'Remove');
      remove.addEventListener('click', async () => {
        clearError();
        try {
          draw(await api.removeFromCart(line.productId));
          track('shop.remove_from_cart', { 'shop.product.id': line.productId });
        } catch (error) {
          showError(`Could not remove the item: ${error instanceof Error ? error.message : String(error)}`);
          reportProblem('shop.remove_from_cart_failed', { 'shop.product.id': line.productId });
        }
      });
      return h(
        'tr',
        { 'data-testid': 'cart-line' },
        h('td', {}, `${line.image} `, h('a', { href: `/product.html?id=${line.productId}` }, line.name)),
        h('td', { class: 'number' }, line.quantity),
        h('td', { class: 'number' }, formatPrice(line.lineTotalCents)),
        h('td', {}, remove),
      );
    });
    mount(
      h('h1', {}, 'Your cart'),
      h(
        'table',
        { class: 'cart' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Product'), h('th', { class: 'number' }, 'Qty'), h('th', { class: 'number' }, 'Price'), h('th', {}))),
        h('tbody', {}, ...rows),
        h('tfoot', {}, h('tr', {}, h('th', {}, 'Total'), h('th', {}), h('th', { class: 'number', 'data-testid': 'cart-total' }, formatPrice(cart.totalCents)), h('th', {}))),
      ),
      h('p', {}, h('a', { href: '/checkout.html', class: 'button', 'data-testid': 'checkout-link' }, 'Checkout')),
    );
  };
  draw(await api.cart());
}
