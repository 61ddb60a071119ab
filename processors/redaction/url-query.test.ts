import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UrlScrubber, type UrlFinding } from './url-query.js';

const scrubber = new UrlScrubber(new Set(['utm_source', 'utm_medium', 'page']));

function run(method: 'url' | 'query' | 'inText', input: string): { out: string; found: UrlFinding[] } {
  const found: UrlFinding[] = [];
  return { out: scrubber[method](input, (kind) => found.push(kind)), found };
}

test('query values not allowed become REDACTED; keys, allowed values and the rest of the URL are kept', () => {
  const { out, found } = run('url', 'https://shop.example.com/search?q=red+shoes&page=2&utm_source=news&email=a%40b.io#top');
  assert.equal(out, 'https://shop.example.com/search?q=REDACTED&page=2&utm_source=news&email=REDACTED#top');
  assert.deepEqual(found, ['url_query', 'url_query']);
});

test('allowed keys are matched case-insensitively and after percent-decoding', () => {
  assert.equal(run('url', '/p?UTM_Source=x&utm%5Fmedium=y&Token=z').out, '/p?UTM_Source=x&utm%5Fmedium=y&Token=REDACTED');
});

test('empty values, bare flags and values already REDACTED are left alone and not counted', () => {
  const input = 'http://127.0.0.1:3000/cart?debug&coupon=&token=REDACTED';
  const { out, found } = run('url', input);
  assert.equal(out, input);
  assert.deepEqual(found, []);
});

test('a URL without a query is returned unchanged', () => {
  const input = 'http://127.0.0.1:3000/api/checkout';
  assert.equal(run('url', input).out, input);
});

test('user:password in a URL is dropped', () => {
  const { out, found } = run('url', 'https://admin:s3cret@db.example.com:5432/x');
  assert.equal(out, 'https://db.example.com:5432/x');
  assert.deepEqual(found, ['url_userinfo']);
});

test('hash-router queries and OAuth fragments are scrubbed', () => {
  assert.equal(run('url', 'https://app.example.com/#/cart?coupon=SAVE10&page=1').out, 'https://app.example.com/#/cart?coupon=REDACTED&page=1');
  assert.equal(run('url', 'https://app.example.com/cb#access_token=abc&state=xyz').out, 'https://app.example.com/cb#access_token=REDACTED&state=REDACTED');
  assert.equal(run('url', 'https://docs.example.com/guide#install').out, 'https://docs.example.com/guide#install');
});

test('url.query values (no "?") are scrubbed as a query', () => {
  assert.equal(run('query', 'q=shoes&page=3').out, 'q=REDACTED&page=3');
  assert.equal(run('query', '?q=shoes').out, '?q=REDACTED');
});

test('URLs inside free text are found and scrubbed; punctuation after them is kept', () => {
  assert.equal(run('inText', 'GET /search?q=alice failed (see https://x.example/a?id=7).').out, 'GET /search?q=REDACTED failed (see https://x.example/a?id=REDACTED).');
  const plain = 'what? a=b is not a URL';
  assert.equal(run('inText', plain).out, plain);
});
