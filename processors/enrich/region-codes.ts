import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

// DB-IP names regions ("Hesse", "North Rhine-Westphalia", "Ile-de-France"); `geo.region.iso_code`
// wants ISO 3166-2 ("DE-HE"). CLDR's English subdivision names (Unicode licence) are the same
// English exonyms, keyed by the ISO code: matching on them finds the code for ~90 % of lookups.

/** Words DB-IP and CLDR add or leave out around the same name ("Tabuk Region", "State of Berlin"). */
const AFFIXES = /^(?:state of|province of|city of) | (?:region|province|county|district|governorate|department|oblast|krai|voivodeship|prefecture|municipality|autonomous community|capital|do|f d|d c)$/;

function normalize(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '') // Île → Ile: DB-IP writes names without accents
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function stripAffixes(normalized: string): string {
  return normalized.replace(AFFIXES, '').trim();
}

/** Finds ISO 3166-2 codes by country and English region name. */
export class RegionCodes {
  constructor(private readonly byName: ReadonlyMap<string, string>) {}

  /** Reads CLDR's English subdivision names from the `cldr-subdivisions-full` package. */
  static async load(): Promise<RegionCodes> {
    const file = createRequire(import.meta.url).resolve('cldr-subdivisions-full/subdivisions/en/en.json');
    const json = JSON.parse(await readFile(file, 'utf8')) as {
      subdivisions: { localeDisplayNames: { subdivisions: Record<string, string> } };
    };
    return RegionCodes.fromCldr(json.subdivisions.localeDisplayNames.subdivisions);
  }

  /** `names` maps CLDR subdivision ids (`dehe`: ISO `DE-HE` lower-cased without the dash) to names. */
  static fromCldr(names: Record<string, string>): RegionCodes {
    const exact = new Map<string, string>();
    const loose = new Map<string, string>();
    for (const [id, name] of Object.entries(names)) {
      const country = id.slice(0, 2).toUpperCase();
      const code = `${country}-${id.slice(2).toUpperCase()}`;
      const key = normalize(name);
      // Two subdivisions of one country rarely share a name; then the first in CLDR's order wins.
      if (!exact.has(`${country}|${key}`)) exact.set(`${country}|${key}`, code);
      const stripped = stripAffixes(key);
      if (!loose.has(`${country}|${stripped}`)) loose.set(`${country}|${stripped}`, code);
    }
    // Exact names win over names matched without their affixes.
    for (const [key, code] of loose) if (!exact.has(key)) exact.set(key, code);
    return new RegionCodes(exact);
  }

  /** `("DE", "Hesse")` → `"DE-HE"`; undefined when no subdivision of that country has the name. */
  find(countryIsoCode: string, regionName: string): string | undefined {
    const key = normalize(regionName);
    return this.byName.get(`${countryIsoCode}|${key}`) ?? this.byName.get(`${countryIsoCode}|${stripAffixes(key)}`);
  }
}
