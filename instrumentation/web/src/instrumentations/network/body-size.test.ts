import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodySize, contentLength, utf8Length } from './body-size.js';

describe('body sizes', () => {
  it('measures UTF-8 bytes of strings without encoding them', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a😀é€']) assert.equal(utf8Length(s), Buffer.byteLength(s), s);
  });
  it('knows strings, blobs, buffers and URLSearchParams; not FormData or streams', () => {
    assert.equal(bodySize('{"a":"é"}'), 10);
    assert.equal(bodySize(new Blob(['12345'])), 5);
    assert.equal(bodySize(new Uint8Array(7)), 7);
    assert.equal(bodySize(new ArrayBuffer(3)), 3);
    assert.equal(bodySize(new URLSearchParams({ q: 'a b' })), 5);
    assert.equal(bodySize(new FormData()), undefined);
    assert.equal(bodySize(undefined), undefined);
    assert.equal(bodySize('x'.repeat(200_000)), undefined);
  });
  it('parses Content-Length', () => {
    assert.equal(contentLength('42'), 42);
    assert.equal(contentLength(null), undefined);
    assert.equal(contentLength('abc'), undefined);
  });
});
