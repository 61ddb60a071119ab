import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { QUIET_INSTRUMENTATION_DEFAULTS, type StitchNodeOptions } from './options.js';

/**
 * The auto-instrumentation bundle (http, express, pg, mysql, redis, mongodb, knex, undici, pino…).
 * When OTEL_NODE_ENABLED_INSTRUMENTATIONS is set the user chose explicitly, so Stitch's quiet
 * defaults step aside (a programmatic `enabled: false` would otherwise beat the variable).
 */
export function autoInstrumentations(options: StitchNodeOptions): Instrumentation[] {
  const explicitEnv = Boolean(process.env.OTEL_NODE_ENABLED_INSTRUMENTATIONS);
  const config = { ...(explicitEnv ? {} : QUIET_INSTRUMENTATION_DEFAULTS), ...options.instrumentations };
  return [...getNodeAutoInstrumentations(config), ...(options.extraInstrumentations ?? [])];
}
