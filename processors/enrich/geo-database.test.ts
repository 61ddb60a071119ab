// Real lookups in the DB-IP database the package ships. These addresses are long-lived anycast or
// infrastructure addresses; a newer database (a package upgrade) could move a city, rarely a country.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DbIpGeoDatabase } from './geo-database.js';
import { RegionCodes } from './region-codes.js';

const db = DbIpGeoDatabase.shared();

test('8.8.8.8 (Google DNS) is in the US, California', async () => {
  assert.deepEqual(await db.lookup('8.8.8.8'), {
    countryIsoCode: 'US',
    regionIsoCode: 'US-CA',
    localityName: 'Mountain View',
    continentCode: 'NA',
  });
});

test('European addresses: RIPE NCC in Amsterdam, Mythic Beasts in London', async () => {
  const ripe = await db.lookup('193.0.6.139');
  assert.equal(ripe?.countryIsoCode, 'NL');
  assert.equal(ripe?.continentCode, 'EU');
  assert.equal(ripe?.regionIsoCode, 'NL-NH');
  assert.equal(ripe?.localityName, 'Amsterdam', 'the district DB-IP adds in brackets is dropped');
  const london = await db.lookup('81.2.69.160');
  assert.equal(london?.countryIsoCode, 'GB');
  assert.equal(london?.continentCode, 'EU');
});

test('IPv6: a Google address in Frankfurt', async () => {
  const geo = await db.lookup('2a00:1450:4001:80b::200e');
  assert.equal(geo?.countryIsoCode, 'DE');
  assert.equal(geo?.regionIsoCode, 'DE-HE');
  assert.equal(geo?.continentCode, 'EU');
});

test('private, loopback and malformed addresses give nothing, never an error', async () => {
  for (const address of ['10.1.2.3', '192.168.1.1', '127.0.0.1', '::1', 'fd00::1', '', 'not-an-ip', '999.1.1.1']) {
    assert.equal(await db.lookup(address), undefined, address);
  }
});

test('one database per process: shared() always answers the same instance', () => {
  assert.equal(DbIpGeoDatabase.shared(), db);
});

test('region names find their ISO 3166-2 code despite accents and affixes', () => {
  const regions = RegionCodes.fromCldr({ dehe: 'Hesse', debe: 'Berlin', fridf: 'Île-de-France²', satb: 'Tabuk', usca: 'California' });
  assert.equal(regions.find('DE', 'Hesse'), 'DE-HE');
  assert.equal(regions.find('DE', 'State of Berlin'), 'DE-BE');
  assert.equal(regions.find('FR', 'Ile-de-France'), 'FR-IDF');
  assert.equal(regions.find('SA', 'Tabuk Region'), 'SA-TB');
  assert.equal(regions.find('US', 'Hesse'), undefined, 'names are looked up within the country');
  assert.equal(regions.find('DE', 'Atlantis'), undefined);
});
