import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scrubUrl } from './scrub.js';
import { describeTarget, type DescribableElement } from './target.js';
import { doNotTrack } from './consent.js';
import { sha256Hex } from './hash.js';

test('scrubUrl redacts query values except allowlisted keys, drops userinfo, keeps path', () => {
  assert.equal(scrubUrl('https://bob:pw@shop.example/cart/42?token=abc&page=2&q=shoes', ['page']),
    'https://shop.example/cart/42?token=REDACTED&page=2&q=REDACTED');
  assert.equal(scrubUrl('https://shop.example/a'), 'https://shop.example/a');
  assert.equal(scrubUrl('/api/items?id=7', [], 'https://shop.example/x'), 'https://shop.example/api/items?id=REDACTED');
  assert.equal(scrubUrl('https://s.example/#/orders?secret=1', []), 'https://s.example/#/orders?secret=REDACTED');
  assert.equal(scrubUrl('https://s.example/cb#access_token=xyz', []), 'https://s.example/cb');
  assert.equal(scrubUrl('https://s.example/p?a=1&a=2', ['a']), 'https://s.example/p?a=1&a=2');
  assert.equal(scrubUrl('not a url?x=1'), 'not a url');
});

function el(tag: string, attrs: Record<string, string> = {}, text = '', parent?: DescribableElement, extra: Partial<DescribableElement> = {}): DescribableElement {
  return { tagName: tag.toUpperCase(), id: attrs.id ?? '', getAttribute: (n) => attrs[n] ?? null, textContent: text, parentElement: parent ?? null, ...extra };
}

test('describeTarget: tag, id, role, data name, aria-label, button text only', () => {
  assert.equal(describeTarget(el('button', { id: 'buy', 'data-stitch-name': 'add-to-cart' }, '  Add   to cart ')), 'button#buy[name="add-to-cart"] "Add to cart"');
  assert.equal(describeTarget(el('a', { 'data-testid': 'nav-home' }, 'Home page link that is much too long to keep whole')), 'a[name="nav-home"] "Home page link that is much to"');
  assert.equal(describeTarget(el('div', { role: 'button', 'aria-label': 'Close' }, 'X')), 'div[role=button][aria-label="Close"] "X"');
  assert.equal(describeTarget(el('div', {}, 'some paragraph text')), 'div');
});

test('describeTarget never reads input, textarea, select or contenteditable text', () => {
  const input = el('input', { type: 'password', id: 'pw' }, 'hunter2', undefined, { value: 'hunter2' } as Partial<DescribableElement>);
  assert.equal(describeTarget(input), 'input#pw[type=password]');
  assert.equal(describeTarget(el('textarea', {}, 'secret')), 'textarea');
  assert.equal(describeTarget(el('select', {}, 'Option A')), 'select');
  assert.equal(describeTarget(el('button', {}, 'secret', undefined, { isContentEditable: true })), 'button');
});

test('data-stitch-mask hides text and aria-label of the subtree', () => {
  const masked = el('section', { 'data-stitch-mask': '' });
  assert.equal(describeTarget(el('button', { id: 'b', 'aria-label': 'Pay Alice' }, 'Pay Alice 40€', masked)), 'button#b');
  // With closest() (real DOM elements).
  assert.equal(describeTarget(el('a', {}, 'Alice', undefined, { closest: () => ({}) })), 'a');
});

test('doNotTrack reads DNT and GPC', () => {
  assert.equal(doNotTrack({ doNotTrack: '1' }, {}), true);
  assert.equal(doNotTrack({ globalPrivacyControl: true } as never, {}), true);
  assert.equal(doNotTrack({ doNotTrack: '0' }, {}), false);
  assert.equal(doNotTrack({}, { doNotTrack: '1' }), true);
});

test('sha256Hex', async () => {
  assert.equal(await sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
