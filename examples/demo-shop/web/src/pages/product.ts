// product.html?id=N: one product, a quantity and "Add to cart".
import { ApiError } from '../api.js';
import { clearError, formatPrice, h, mount, showError, showNotice } from '../dom.js';
import { showCartCount } from '../header.js';
import { reportProblem, track } from '../telemetry.js';
import type { PageContext } from './context.js';

export async function renderProduct({ api, params }: PageContext): Promise<void> {
  const id = params.get('id') ?? '';
  let product;
  try {
    product = await api.product(id);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      mount(h('h1', {}, 'Product not found'), h('p', {}, h('a', { href: '/' }, 'Back to all products')));
      showError('That product does not exist.');
      reportProblem('shop.product_not_found', { 'http.response.status_code': error.status }, 'WARN');
      return;
    }
    throw error;
  }
  document.title = `${product.name} · Demo shop`;
  const quantity = h('select', { id: 'quantity', 'data-testid': 'quantity' }, ...[1, 2, 3, 4, 5].map((n) => h('option', { value: String(n) }, n)));
  const add = h('button', { type: 'button', 'data-testid': 'add-to-cart', disabled: product.stock === 0 }, 'Add to cart');
  add.addEventListener('click', async () => {
    clearError();
    add.disabled = true;
    try {
      const cart = await api.addToCart(product.id, Number(quantity.value));
      showCartCount(cart);
      showNotice(`Added ${quantity.value} × ${product.name} to your cart.`);
      track('shop.add_to_cart', { 'shop.product.id': product.id, 'shop.quantity': Number(quantity.value) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      showError(`Could not add to cart: ${message}`);
      reportProblem('shop.add_to_cart_failed', { 'shop.product.id': product.id, 'http.response.status_code': error instanceof ApiError ? error.status : 0 });
    } finally {
      add.disabled = false;
    }
  });
  mount(
    h('p', { class: 'crumbs' }, h('a', { href: '/' }, 'All products')),
    h(
      'article',
      { class: 'product' },
      h('div', { class: 'image big', 'aria-hidden': 'true' }, product.image),
      h(
        'div',
        {},
        h('h1', {}, product.name),
        h('p', {}, product.description),
        h('p', { class: 'price' }, formatPrice(product.priceCents)),
        h('p', { class: 'stock' }, product.stock > 0 ? `${product.stock} in stock` : 'Sold out'),
        h('p', { class: 'buy' }, h('label', { for: 'quantity' }, 'Quantity '), quantity, ' ', add),
        h('p', {}, h('a', { href: '/cart.html', 'data-testid': 'go-to-cart' }, 'Go to cart →')),
      ),
    ),
  );
}
