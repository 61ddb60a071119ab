// Cart queries shared by the cart routes and checkout (which runs them inside its transaction).
import type { Knex } from 'knex';

export interface CartLine {
  productId: number;
  name: string;
  image: string;
  priceCents: number;
  quantity: number;
  stock: number;
  lineTotalCents: number;
}

export interface CartView {
  id: string;
  items: CartLine[];
  count: number;
  totalCents: number;
}

interface CartRow {
  product_id: number;
  quantity: number;
  name: string;
  image: string;
  price_cents: number;
  stock: number;
}

/** Creates the cart the first time its id is seen. */
export async function ensureCart(db: Knex | Knex.Transaction, cartId: string): Promise<void> {
  await db('carts').insert({ id: cartId, created_at: new Date().toISOString() }).onConflict('id').ignore();
}

/** The cart's lines with current prices and stock, in the order products were listed. */
export async function readCart(db: Knex | Knex.Transaction, cartId: string): Promise<CartView> {
  const rows: CartRow[] = await db('cart_items')
    .join('products', 'products.id', 'cart_items.product_id')
    .where('cart_items.cart_id', cartId)
    .orderBy('products.id')
    .select('cart_items.product_id', 'cart_items.quantity', 'products.name', 'products.image', 'products.price_cents', 'products.stock');
  const items = rows.map((row) => ({
    productId: row.product_id,
    name: row.name,
    image: row.image,
    priceCents: row.price_cents,
    quantity: row.quantity,
    stock: row.stock,
    lineTotalCents: row.price_cents * row.quantity,
  }));
  return {
    id: cartId,
    items,
    count: items.reduce((sum, item) => sum + item.quantity, 0),
    totalCents: items.reduce((sum, item) => sum + item.lineTotalCents, 0),
  };
}
