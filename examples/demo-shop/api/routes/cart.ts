import type { Router } from 'express';
import type { Knex } from 'knex';
import { ensureCart, readCart } from '../store/carts.js';
import { HttpError } from '../http-error.js';
import { bodyOf, cartIdOf, idParam, wholeNumber } from '../validate.js';

export function mountCartRoutes(router: Router, db: Knex): void {
  router.get('/cart', async (req, res) => {
    const cartId = cartIdOf(req);
    await ensureCart(db, cartId);
    res.json({ cart: await readCart(db, cartId) });
  });

  // Adds `quantity` of a product (on top of what the cart already holds), up to the stock.
  router.post('/cart/items', async (req, res) => {
    const cartId = cartIdOf(req);
    const body = bodyOf(req);
    const productId = wholeNumber(body.productId, 'productId', 1, Number.MAX_SAFE_INTEGER);
    const quantity = wholeNumber(body.quantity ?? 1, 'quantity', 1, 99);
    const cart = await db.transaction(async (trx) => {
      const product: { stock: number; name: string } | undefined = await trx('products').where({ id: productId }).first('stock', 'name');
      if (!product) throw new HttpError(404, `product ${productId} not found`);
      await ensureCart(trx, cartId);
      const line: { quantity: number } | undefined = await trx('cart_items').where({ cart_id: cartId, product_id: productId }).first('quantity');
      const wanted = (line?.quantity ?? 0) + quantity;
      if (wanted > product.stock) throw new HttpError(409, `only ${product.stock} ${product.name} left in stock`);
      await trx('cart_items')
        .insert({ cart_id: cartId, product_id: productId, quantity: wanted })
        .onConflict(['cart_id', 'product_id'])
        .merge({ quantity: wanted });
      return readCart(trx, cartId);
    });
    res.json({ cart });
  });

  // Removing a product that is not in the cart is not an error: the cart ends up as asked.
  router.delete('/cart/items/:productId', async (req, res) => {
    const cartId = cartIdOf(req);
    const productId = idParam(req.params.productId, 'productId');
    await db('cart_items').where({ cart_id: cartId, product_id: productId }).delete();
    res.json({ cart: await readCart(db, cartId) });
  });
}
