// checkout.html: the order summary and the payment form.
import { ApiError } from '../api.js';
import { clearError, formatPrice, h, mount, showError } from '../dom.js';
import { showCartCount } from '../header.js';
import { reportProblem, track } from '../telemetry.js';
import { signedInUser } from '../user.js';
import type { PageContext } from './context.js';

/** What the shopper reads for each way a checkout can fail. */
function explain(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (error.status === 502) return 'Payment declined. Please try another card.';
  if (error.status === 0) return error.message;
  return `Checkout failed: ${error.message}`;
}

export async function renderCheckout({ api }: PageContext): Promise<void> {
  const cart = await api.cart();
  showCartCount(cart);
  const email = h('input', { id: 'email', name: 'email', type: 'email', required: true, autocomplete: 'email', 'data-testid': 'email', value: signedInUser()?.email ?? '' });
  const card = h('input', { id: 'card-number', name: 'card-number', inputmode: 'numeric', required: true, autocomplete: 'cc-number', placeholder: '4242 4242 4242 4242', 'data-testid': 'card-number' });
  const submit = h('button', { type: 'submit', 'data-testid': 'checkout-submit' }, `Pay ${formatPrice(cart.totalCents)}`);
  const form = h(
    'form',
    { id: 'checkout-form', name: 'checkout' },
    h('p', {}, h('label', { for: 'email' }, 'E-mail'), email),
    h('p', {}, h('label', { for: 'card-number' }, 'Card number'), card),
    h('p', {}, submit),
  );
  const result = h('section', { 'data-testid': 'order-result', hidden: true });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    submit.disabled = true;
    submit.textContent = 'Paying…';
    try {
      const order = await api.checkout(card.value, email.value);
      form.hidden = true;
      result.replaceChildren(h('h2', {}, 'Thank you!'), h('p', {}, `Order #${order.id} is paid: ${order.itemCount} item(s), ${formatPrice(order.totalCents)}.`));
      result.dataset.orderId = String(order.id);
      result.hidden = false;
      showCartCount({ count: 0 });
      track('shop.checkout_completed', { 'shop.order.id': order.id, 'shop.order.total_cents': order.totalCents });
    } catch (error) {
      showError(explain(error));
      const status = error instanceof ApiError ? error.status : -1;
      reportProblem('shop.checkout_failed', { 'http.response.status_code': status, 'error.type': status === 502 ? 'payment_declined' : error instanceof Error ? error.name : 'unknown' });
      submit.disabled = false;
      submit.textContent = `Pay ${formatPrice(cart.totalCents)}`;
    }
  });
  const summary =
    cart.items.length === 0
      ? h('p', { 'data-testid': 'cart-empty' }, 'Your cart is empty.')
      : h('ul', { class: 'summary' }, ...cart.items.map((line) => h('li', {}, `${line.quantity} × ${line.name} — ${formatPrice(line.lineTotalCents)}`)));
  mount(
    h('h1', {}, 'Checkout'),
    summary,
    h('p', { class: 'hint' }, 'Test cards: 4242 4242 4242 4242 is always accepted, 4000 0000 0000 0002 is always declined.'),
    form,
    result,
  );
}
