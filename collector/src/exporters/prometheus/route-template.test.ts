import assert from 'node:assert/strict';
import { test } from 'node:test';
import { routeTemplate } from './route-template.js';

test('route templates replace ids and drop query, fragment and host', () => {
  const cases: [string | undefined, string][] = [
    ['https://shop.example.com/', '/'],
    ['https://shop.example.com/products/42?ref=mail#top', '/products/:id'],
    ['https://shop.example.com/orders/3f2b9c1e-8a4d-4c2e-9b7a-1d2e3f4a5b6c/items/7', '/orders/:id/items/:id'],
    ['https://shop.example.com/u/5f8d0d55b54764421b7156c3/cart/', '/u/:id/cart'],
    ['/blog/deadbeef-recipes', '/blog/deadbeef-recipes'],
    ['/feed/cafebabe', '/feed/cafebabe'],
    ['/a/b/c/d/e/f/g/h/i/j', '/a/b/c/d/e/f/g/h/*'],
    ['http://[bad', 'unknown'],
    [undefined, 'unknown'],
  ];
  for (const [url, want] of cases) assert.equal(routeTemplate(url), want, String(url));
});
