import type { Router } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { HttpError } from '../http-error.js';
import { authorizePayment, type PaymentKnobs } from '../payment.js';
import { readCart } from '../store/carts.js';
import { bodyOf, cardNumber, cartIdOf, email } from '../validate.js';

/** Thrown inside the transaction so knex rolls it back; answered 502 below. */
class PaymentDeclined extends Error {
  constructor(readonly reason: string) {
    super('payment declined');
  }
}

export function mountCheckoutRoutes(router: Router, db: Knex, logger: Logger, knobs: PaymentKnobs): void {
  // One transaction: read the cart, check and reserve the stock, write the order, then authorise
  // the payment while all of it is still uncommitted, so a decline undoes everything in one
  // rollback. The price of that: a slow authorisation holds SQLite's single connection, and
  // requests arriving meanwhile wait for it (their traces show the gap).
  router.post('/checkout', async (req, res) => {
    const cartId = cartIdOf(req);
    const body = bodyOf(req);
    const card = cardNumber(body.cardNumber);
    const buyer = email(body.email);
    try {
      const order = await db.transaction(async (trx) => {
        const cart = await readCart(trx, cartId);
        if (cart.items.length === 0) throw new HttpError(400, 'cart is empty');
        for (const item of cart.items) {
          if (item.quantity > item.stock) throw new HttpError(409, `only ${item.stock} ${item.name} left in stock`);
        }
        const [orderId] = await trx('orders').insert({
          cart_id: cartId,
          email: buyer,
          total_cents: cart.totalCents,
          items_json: JSON.stringify(cart.items.map(({ productId, name, priceCents, quantity }) => ({ productId, name, priceCents, quantity }))),
          status: 'pending',
          created_at: new Date().toISOString(),
        });
        for (const item of cart.items) {
          // The stock condition in the UPDATE keeps two checkouts from selling the same last item.
          const updated = await trx('products').where({ id: item.productId }).andWhere('stock', '>=', item.quantity).decrement('stock', item.quantity);
          if (updated !== 1) throw new HttpError(409, `only ${item.stock} ${item.name} left in stock`);
        }
        const payment = await authorizePayment(card, cart.totalCents, knobs);
        if (!payment.approved) throw new PaymentDeclined(payment.reason);
        await trx('orders').where({ id: orderId }).update({ status: 'paid' });
        await trx('cart_items').where({ cart_id: cartId }).delete();
        return { id: Number(orderId), email: buyer, totalCents: cart.totalCents, itemCount: cart.count, items: cart.items };
      });
      logger.info({ orderId: order.id, totalCents: order.totalCents, itemCount: order.itemCount }, 'checkout completed');
      res.status(201).json({ order });
    } catch (error) {
      if (!(error instanceof PaymentDeclined)) throw error;
      logger.warn({ reason: error.reason, cardLast4: card.slice(-4) }, 'payment declined');
      res.status(502).json({ error: 'payment declined' });
    }
  });
}
