import {
  CidrSet,
  clientIpOf,
  isPublicIp,
  processorReport,
  type ConsumeContext,
  type Consumer,
  type Counter,
  type CreateSettings,
  type LogRecordView,
  type Logger,
  type Processor,
  type ProcessorReport,
  type ResourceRecord,
  type SignalBatch,
  type SpanRecord,
} from '@stitch/collector-api';
import type { EnrichConfig } from './config.js';
import { DbIpGeoDatabase, GeoUnavailableError, type GeoInfo, type GeoLookup } from './geo-database.js';
import { addGeo, addUserAgent, applyClientAddress, isBrowserResource } from './resource-attributes.js';

type EnrichSignal = 'traces' | 'logs';
type Item = SpanRecord | LogRecordView;

/** What became of one resource. */
export type ResourceOutcome = 'enriched' | 'unchanged' | 'skipped';
/** How one request's geo lookup went. */
export type GeoResult = 'found' | 'not_found' | 'private' | 'no_address' | 'unavailable';

export interface EnrichOptions {
  /** The geo-IP database; default: DB-IP's, shared by every instance. Tests pass their own. */
  geo?: GeoLookup;
}

/**
 * Adds browser, OS, device and location attributes to browser resources, then applies the
 * `client_ip.store` policy to `client.address`. It must see the request's ConsumeContext (the
 * client's address), so it runs before `batch`, which merges requests.
 */
export class EnrichProcessor<S extends EnrichSignal> implements Processor<S> {
  readonly mutatesData = true;
  readonly #report: ProcessorReport;
  readonly #resources: Counter;
  readonly #geoLookups: Counter;
  readonly #logger: Logger;
  readonly #trustedProxies: CidrSet;
  readonly #geo: GeoLookup;
  #warnedUnavailable = false;

  constructor(
    private readonly settings: CreateSettings,
    private readonly config: EnrichConfig,
    private readonly signal: S,
    private readonly next: Consumer<S>,
    options: EnrichOptions = {},
  ) {
    this.#report = processorReport(settings);
    this.#logger = settings.logger;
    this.#trustedProxies = new CidrSet(config.client_ip.trusted_proxies);
    this.#geo = options.geo ?? DbIpGeoDatabase.shared();
    const labels = ['processor', 'otel_signal'];
    this.#resources = settings.telemetry.counter('processor_enrich_resources', 'Resources seen, by outcome (enriched, unchanged, skipped: not browser telemetry)', [...labels, 'outcome']);
    this.#geoLookups = settings.telemetry.counter('processor_enrich_geo_lookups', 'Client IP geo lookups, by result (found, not_found, private, no_address, unavailable)', [...labels, 'result']);
  }

  async consume(batch: SignalBatch<Item>, context: ConsumeContext): Promise<void> {
    const count = batch.itemCount();
    this.#report.incoming(this.signal, count);
    // One client per request: its IP worked out once, its geo looked up once and only when a
    // resource needs it (backend-only requests never touch the database).
    const ip = clientIpOf(context.client, this.#trustedProxies);
    let geo: Promise<GeoInfo | undefined> | undefined;
    const client: RequestClient = { ip, geo: () => (geo ??= this.#lookup(ip)) };
    for (const group of batch.resources) {
      const outcome = await this.#enrich(group.resource, client);
      this.#resources.add(1, { ...this.#labels(), outcome });
    }
    this.#report.outgoing(this.signal, count);
    await this.next.consume(batch as SignalBatch<never>, context);
  }

  async #enrich(resource: ResourceRecord, client: RequestClient): Promise<ResourceOutcome> {
    try {
      if (this.config.only_browser_resources && !isBrowserResource(resource)) return 'skipped';
      let changed = false;
      if (this.config.user_agent) changed = addUserAgent(resource) || changed;
      if (this.config.geo) {
        const geo = await client.geo();
        if (geo) changed = addGeo(resource, geo) || changed;
      }
      changed = applyClientAddress(resource, client.ip, this.config.client_ip) || changed;
      return changed ? 'enriched' : 'unchanged';
    } catch (error) {
      // A resource whose bytes do not decode goes on as received; the exporter reports it.
      this.#logger.debug({ err: error }, 'enrich: resource left as received');
      return 'skipped';
    }
  }

  /** Looks the client's address up, counting how it went; never throws. */
  async #lookup(ip: string | undefined): Promise<GeoInfo | undefined> {
    const count = (result: GeoResult) => this.#geoLookups.add(1, { ...this.#labels(), result });
    if (ip === undefined) {
      count('no_address');
      return undefined;
    }
    if (!isPublicIp(ip)) {
      count('private');
      return undefined;
    }
    try {
      const geo = await this.#geo.lookup(ip);
      count(geo ? 'found' : 'not_found');
      return geo;
    } catch (error) {
      count('unavailable');
      if (!this.#warnedUnavailable) {
        this.#warnedUnavailable = true;
        this.#logger.warn(
          { err: error instanceof GeoUnavailableError ? error.message : error },
          'enrich: no geo attributes: the geo-IP database could not be loaded',
        );
      }
      return undefined;
    }
  }

  #labels(): Record<string, string> {
    return { processor: this.settings.id, otel_signal: this.signal };
  }
}

interface RequestClient {
  ip: string | undefined;
  geo(): Promise<GeoInfo | undefined>;
}
