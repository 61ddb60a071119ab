// index.html: the product grid.
import { formatPrice, h, mount } from '../dom.js';
import type { PageContext } from './context.js';

export async function renderList({ api }: PageContext): Promise<void> {
  const products = await api.products();
  mount(
    h('h1', {}, 'Products'),
    h(
      'ul',
      { class: 'grid' },
      ...products.map((product) =>
        h(
          'li',
          { class: 'card' },
          h(
            'a',
            { href: `/product.html?id=${product.id}`, 'data-testid': 'product-link', 'data-product-id': String(product.id) },
            h('span', { class: 'image', 'aria-hidden': 'true' }, product.image),
            h('span', { class: 'name' }, product.name),
          ),
          h('span', { class: 'price' }, formatPrice(product.priceCents)),
        ),
      ),
    ),
  );
}
