import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientIpOf } from './client-ip.js';
import { CidrSet } from './ip.js';

const trusted = new CidrSet(['127.0.0.1/32', '10.0.0.0/8']);
const none = new CidrSet([]);

test('without X-Forwarded-For the socket peer is the client', () => {
  assert.equal(clientIpOf({ address: '8.8.8.8' }, trusted), '8.8.8.8');
  assert.equal(clientIpOf({ address: '::ffff:8.8.8.8' }, trusted), '8.8.8.8', 'IPv4-mapped written as IPv4');
});

test('X-Forwarded-For from an untrusted peer is ignored (anyone can write it)', () => {
  assert.equal(clientIpOf({ address: '198.51.100.20', forwardedFor: '8.8.8.8' }, trusted), '198.51.100.20');
  assert.equal(clientIpOf({ address: '127.0.0.1', forwardedFor: '8.8.8.8' }, none), '127.0.0.1', 'no proxy is trusted by default');
});

test('from a trusted peer the right-most untrusted hop is the client', () => {
  assert.equal(clientIpOf({ address: '127.0.0.1', forwardedFor: '8.8.8.8' }, trusted), '8.8.8.8');
  // The client wrote "1.2.3.4" itself; our proxies appended 81.2.69.160 (what they saw) and 10.0.0.5.
  assert.equal(clientIpOf({ address: '10.0.0.9', forwardedFor: '1.2.3.4, 81.2.69.160, 10.0.0.5' }, trusted), '81.2.69.160');
  assert.equal(clientIpOf({ address: '10.0.0.9', forwardedFor: '1.2.3.4,81.2.69.160' }, trusted), '81.2.69.160', 'no space after the comma');
});

test('hops with ports, brackets or mapped IPv4 are read as addresses', () => {
  assert.equal(clientIpOf({ address: '127.0.0.1', forwardedFor: '8.8.8.8:51234' }, trusted), '8.8.8.8');
  assert.equal(clientIpOf({ address: '127.0.0.1', forwardedFor: '[2a00:1450:4001:80b::200e]:443' }, trusted), '2a00:1450:4001:80b::200e');
  assert.equal(clientIpOf({ address: '127.0.0.1', forwardedFor: '2A00:1450:4001:80B::200E' }, trusted), '2a00:1450:4001:80b::200e');
  assert.equal(clientIpOf({ address: '127.0.0.1', forwardedFor: '::ffff:8.8.4.4' }, trusted), '8.8.4.4');
});

test('a garbled hop makes the client unknown rather than guessed', () => {
  assert.equal(clientIpOf({ address: '127.0.0.1', forwardedFor: '8.8.8.8, unknown' }, trusted), undefined);
  assert.equal(clientIpOf({ address: '127.0.0.1', forwardedFor: 'unknown, 8.8.8.8' }, trusted), '8.8.8.8', 'only hops right of the client matter');
});

test('every hop trusted: the left-most is the client; an empty header: the peer', () => {
  assert.equal(clientIpOf({ address: '127.0.0.1', forwardedFor: '10.1.1.1, 10.0.0.5' }, trusted), '10.1.1.1');
  assert.equal(clientIpOf({ address: '127.0.0.1', forwardedFor: ' , ' }, trusted), '127.0.0.1');
});

test('no client, or a peer that is not an address, gives no client IP', () => {
  assert.equal(clientIpOf(undefined, trusted), undefined);
  assert.equal(clientIpOf({ address: '' }, trusted), undefined);
});
