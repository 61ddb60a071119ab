// The shop's tables, created when missing so a fresh file (or ':memory:') is ready at once.
import type { Knex } from 'knex';

export async function createSchema(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable('products'))) {
    await db.schema.createTable('products', (table) => {
      table.increments('id');
      table.string('name').notNullable();
      table.text('description').notNullable();
      table.integer('price_cents').notNullable();
      table.string('image').notNullable();
      table.integer('stock').notNullable();
    });
  }
  if (!(await db.schema.hasTable('users'))) {
    await db.schema.createTable('users', (table) => {
      table.increments('id');
      table.string('email').notNullable().unique();
      table.string('name').notNullable();
      table.string('password_hash').notNullable();
    });
  }
  if (!(await db.schema.hasTable('carts'))) {
    await db.schema.createTable('carts', (table) => {
      table.string('id').primary(); // the browser's x-cart-id
      table.string('created_at').notNullable();
    });
  }
  if (!(await db.schema.hasTable('cart_items'))) {
    await db.schema.createTable('cart_items', (table) => {
      table.string('cart_id').notNullable().references('carts.id');
      table.integer('product_id').notNullable().references('products.id');
      table.integer('quantity').notNullable();
      table.primary(['cart_id', 'product_id']);
    });
  }
  if (!(await db.schema.hasTable('orders'))) {
    await db.schema.createTable('orders', (table) => {
      table.increments('id');
      table.string('cart_id').notNullable();
      table.string('email').notNullable();
      table.integer('total_cents').notNullable();
      table.text('items_json').notNullable(); // what was bought, at the prices paid
      table.string('status').notNullable(); // 'pending' until the payment is authorised, then 'paid'
      table.string('created_at').notNullable();
    });
  }
}
