import type { CreateSettings, ReceiverConsumers, ReceiverFactory } from '@stitch/collector-api';
import { otlpReceiverConfigSchema, type OtlpReceiverConfig } from './config.js';
import { OtlpHttpReceiver } from './otlp-http-receiver.js';

export const otlpReceiverFactory = {
  type: 'otlp',
  kind: 'receiver',
  signals: ['traces', 'logs', 'metrics'],
  stability: 'beta',
  configSchema: otlpReceiverConfigSchema,
  create(settings: CreateSettings, config: OtlpReceiverConfig, consumers: ReceiverConsumers): OtlpHttpReceiver {
    return new OtlpHttpReceiver(settings, config.protocols.http, consumers, { auth: config.auth, rate_limit: config.rate_limit, limits: config.limits });
  },
} as const satisfies ReceiverFactory<OtlpReceiverConfig>;
