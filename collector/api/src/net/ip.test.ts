import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CidrSet, formatIp, isPublicIp, maskIp, normalizeIp, parseCidr, parseIp } from './ip.js';

const roundTrip = (text: string) => formatIp(parseIp(text)!);

test('normalizeIp writes IPv4-mapped IPv6 as IPv4, drops zones, lower-cases IPv6', () => {
  assert.equal(normalizeIp('::ffff:203.0.113.9'), '203.0.113.9');
  assert.equal(normalizeIp('::FFFF:8.8.8.8'), '8.8.8.8');
  assert.equal(normalizeIp(' 2001:DB8::1 '), '2001:db8::1');
  assert.equal(normalizeIp('fe80::1%eth0'), 'fe80::1');
  assert.equal(normalizeIp('unknown'), 'unknown', 'not an IP: unchanged');
});

test('parseIp and formatIp round-trip to the canonical form (RFC 5952)', () => {
  assert.equal(roundTrip('203.0.113.77'), '203.0.113.77');
  assert.equal(roundTrip('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  assert.equal(roundTrip('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1', 'the first of two equal zero runs');
  assert.equal(roundTrip('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1', 'one zero group stays');
  assert.equal(roundTrip('::'), '::');
  assert.equal(roundTrip('::1'), '::1');
  assert.equal(roundTrip('64:ff9b::198.51.100.7'), '64:ff9b::c633:6407', 'an embedded IPv4 tail');
  assert.equal(parseIp('256.1.1.1'), undefined);
  assert.equal(parseIp('example.com'), undefined);
  assert.equal(parseIp(''), undefined);
});

test('maskIp keeps the network bits only', () => {
  const mask = (text: string, prefix: number) => formatIp(maskIp(parseIp(text)!, prefix));
  assert.equal(mask('203.0.113.77', 24), '203.0.113.0');
  assert.equal(mask('203.0.113.77', 16), '203.0.0.0');
  assert.equal(mask('203.0.113.77', 20), '203.0.112.0', 'a prefix inside a byte');
  assert.equal(mask('203.0.113.77', 32), '203.0.113.77');
  assert.equal(mask('203.0.113.77', 0), '0.0.0.0');
  assert.equal(mask('2001:db8:abcd:1234:5678::9', 48), '2001:db8:abcd::');
  assert.equal(mask('2001:db8:abcd:1234:5678::9', 56), '2001:db8:abcd:1200::');
});

test('parseCidr takes ranges and single addresses, rejects the rest', () => {
  assert.deepEqual(parseCidr('10.0.0.0/8'), { address: '10.0.0.0', prefix: 8, family: 4 });
  assert.deepEqual(parseCidr('127.0.0.1'), { address: '127.0.0.1', prefix: 32, family: 4 });
  assert.deepEqual(parseCidr('2001:DB8::/32'), { address: '2001:db8::', prefix: 32, family: 6 });
  for (const bad of ['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/x', 'localhost', '']) {
    assert.equal(parseCidr(bad), undefined, bad);
  }
});

test('CidrSet matches addresses inside its ranges', () => {
  const set = new CidrSet(['10.0.0.0/8', '127.0.0.1/32', 'fd00::/8']);
  assert.equal(set.has('10.1.2.3'), true);
  assert.equal(set.has('127.0.0.1'), true);
  assert.equal(set.has('127.0.0.2'), false);
  assert.equal(set.has('fd12::1'), true);
  assert.equal(set.has('8.8.8.8'), false);
  assert.equal(set.has('not-an-ip'), false);
  assert.equal(new CidrSet([]).has('10.0.0.1'), false);
  assert.throws(() => new CidrSet(['10.0.0.0/40']), /not a CIDR range/);
});

test('isPublicIp is false for private, loopback, link-local, CGNAT, documentation and multicast ranges', () => {
  for (const ip of ['10.0.0.1', '172.16.5.4', '192.168.1.1', '127.0.0.1', '169.254.1.1', '100.64.0.1', '203.0.113.9', '224.0.0.1', '::1', 'fe80::1', 'fd00::1', '2001:db8::1', 'garbage']) {
    assert.equal(isPublicIp(ip), false, ip);
  }
  for (const ip of ['8.8.8.8', '81.2.69.160', '2a00:1450:4001:80b::200e', '172.32.0.1']) assert.equal(isPublicIp(ip), true, ip);
});
