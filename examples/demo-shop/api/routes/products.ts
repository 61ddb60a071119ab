import type { Router } from 'express';
import type { Knex } from 'knex';
import { HttpError } from '../http-error.js';
import { idParam } from '../validate.js';

interface ProductRow {
  id: number;
  name: string;
  description: string;
  price_cents: number;
  image: string;
  stock: number;
}

/** The API's JSON shape for a product (camelCase, unlike the columns). */
export function productJson(row: ProductRow) {
  return { id: row.id, name: row.name, description: row.description, priceCents: row.price_cents, image: row.image, stock: row.stock };
}

export function mountProductRoutes(router: Router, db: Knex): void {
  router.get('/products', async (_req, res) => {
    const rows: ProductRow[] = await db('products').orderBy('id');
    res.json({ products: rows.map(productJson) });
  });
  router.get('/products/:id', async (req, res) => {
    const id = idParam(req.params.id, 'product id');
    const row: ProductRow | undefined = await db('products').where({ id }).first();
    if (!row) throw new HttpError(404, `product ${id} not found`);
    res.json({ product: productJson(row) });
  });
}
