// The seed data: a dozen products and the one demo user.
import type { Knex } from 'knex';
import { hashPassword } from '../passwords.js';

export const DEMO_USER = { email: 'demo@shop.example', password: 'demo', name: 'Demo Shopper' } as const;

interface ProductSeed {
  name: string;
  description: string;
  price_cents: number;
  image: string;
  stock: number;
}

export const PRODUCTS: readonly ProductSeed[] = [
  { name: 'Blue mug', description: 'A 350 ml stoneware mug, glazed the blue of a clear morning.', price_cents: 1200, image: '☕', stock: 40 },
  { name: 'Red socks', description: 'Warm merino socks. One pair, one size that really does fit most.', price_cents: 900, image: '🧦', stock: 60 },
  { name: 'Field notebook', description: 'Dot-grid, 96 pages, survives a rainy walk in a back pocket.', price_cents: 750, image: '📓', stock: 80 },
  { name: 'Desk plant', description: 'A small pothos that forgives a forgotten watering or two.', price_cents: 1800, image: '🪴', stock: 15 },
  { name: 'Headphones', description: 'Closed-back, wired, no battery to charge, ever.', price_cents: 7900, image: '🎧', stock: 12 },
  { name: 'Umbrella', description: 'Compact, wind-proof up to a brisk gale.', price_cents: 2400, image: '☂️', stock: 25 },
  { name: 'Running shoes', description: 'Light trainers with a wide toe box.', price_cents: 8900, image: '👟', stock: 10 },
  { name: 'Backpack', description: '22 litres, a padded laptop sleeve and a bottle pocket on each side.', price_cents: 5600, image: '🎒', stock: 18 },
  { name: 'Tea sampler', description: 'Twelve loose-leaf teas from green to smoky black.', price_cents: 2100, image: '🍵', stock: 30 },
  { name: 'Desk lamp', description: 'Warm LED, three brightness steps, a base that does not tip.', price_cents: 3900, image: '💡', stock: 14 },
  { name: 'Puzzle', description: '1000 pieces of a harbour at dusk.', price_cents: 1900, image: '🧩', stock: 22 },
  { name: 'Water bottle', description: 'Insulated steel, 750 ml, cold for a day.', price_cents: 2600, image: '🚰', stock: 35 },
];

/** Seeds an empty store; a store that already has products or the user keeps its data. */
export async function seed(db: Knex): Promise<void> {
  const [{ count } = { count: 0 }] = await db('products').count<{ count: number }[]>({ count: '*' });
  if (Number(count) === 0) await db('products').insert(PRODUCTS);
  else await restock(db);
  const user = await db('users').where({ email: DEMO_USER.email }).first();
  if (!user) {
    await db('users').insert({ email: DEMO_USER.email, name: DEMO_USER.name, password_hash: await hashPassword(DEMO_USER.password) });
  }
}

/**
 * Tops every product back up to its seed stock, so a store file kept between demo runs (and
 * emptied by driven traffic) does not end up sold out. One statement: one DB span at start.
 */
async function restock(db: Knex): Promise<void> {
  const cases = PRODUCTS.map(() => 'WHEN ? THEN max(stock, ?)').join(' ');
  const bindings = PRODUCTS.flatMap((product) => [product.name, product.stock]);
  await db('products').update({ stock: db.raw(`CASE name ${cases} ELSE stock END`, bindings) });
}
