// Shared by this folder's tests: a receiver made through its factory on 127.0.0.1:0, consumers
// that capture what reaches the pipeline, and a fetch helper. Not a test file itself.
import {
  decodeExportResponse,
  decodeStatusMessage,
  validateConfig,
  type ConsumeContext,
  type Logger,
  type Consumer,
  type OtlpEncoding,
  type PartialSuccess,
  type ReceiverConsumers,
  type Signal,
  type SignalBatch,
} from '@stitch/collector-api';
import { testSettings } from '../../testing/settings.js';
import { otlpReceiverConfigSchema } from './config.js';
import { otlpReceiverFactory } from './factory.js';
import { OtlpHttpReceiver } from './otlp-http-receiver.js';

export type Captured = { [S in Signal]: SignalBatch[] } & { contexts: ConsumeContext[] };

export interface HarnessOptions {
  /** Replaces the capturing consumer's behaviour (e.g. to throw); the batch is captured first. */
  consume?: (batch: SignalBatch, context: ConsumeContext) => Promise<void>;
  /** Signals that have a pipeline (default all three). */
  signals?: readonly Signal[];
  /** The receiver's `auth`, `rate_limit` and `limits` keys, as written in YAML. */
  access?: { auth?: unknown; rate_limit?: unknown; limits?: unknown };
  /** Time for the rate-limit buckets (default Date.now). */
  clock?: () => number;
  /** The receiver's logger (default silent). */
  logger?: Logger;
}

export interface Harness {
  receiver: OtlpHttpReceiver;
  settings: ReturnType<typeof testSettings>;
  captured: Captured;
  baseUrl: string;
  url(path: string): string;
  stop(): Promise<void>;
}

export async function startReceiver(http: Record<string, unknown> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const parsed = validateConfig(otlpReceiverConfigSchema, { protocols: { http: { endpoint: '127.0.0.1:0', ...http } }, ...options.access }, 'receivers.otlp');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const settings = testSettings('otlp', options.logger);
  const captured: Captured = { traces: [], logs: [], metrics: [], contexts: [] };
  const consumerFor = (signal: Signal): Consumer => ({
    async consume(batch, context) {
      captured[signal].push(batch);
      captured.contexts.push(context);
      await options.consume?.(batch, context);
    },
  });
  const consumers: ReceiverConsumers = {};
  for (const signal of options.signals ?? (['traces', 'logs', 'metrics'] as const)) consumers[signal] = consumerFor(signal) as never;
  const receiver = options.clock
    ? new OtlpHttpReceiver(settings, parsed.config.protocols.http, consumers, parsed.config, options.clock)
    : otlpReceiverFactory.create(settings, parsed.config, consumers);
  await receiver.start();
  const baseUrl = `http://127.0.0.1:${receiver.port}`;
  return { receiver, settings, captured, baseUrl, url: (path) => `${baseUrl}${path}`, stop: () => receiver.shutdown() };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: Buffer;
  encoding: OtlpEncoding;
  /** The google.rpc.Status message of an error reply. */
  message: string;
}

export async function post(url: string, body: Uint8Array | string, headers: Record<string, string>, method = 'POST'): Promise<Reply> {
  const payload = method === 'GET' || method === 'HEAD' ? undefined : typeof body === 'string' ? body : new Uint8Array(body);
  const response = await fetch(url, { method, headers, body: payload });
  const bytes = Buffer.from(await response.arrayBuffer());
  const encoding: OtlpEncoding = response.headers.get('content-type') === 'application/x-protobuf' ? 'protobuf' : 'json';
  return { status: response.status, headers: response.headers, body: bytes, encoding, message: decodeStatusMessage(encoding, bytes) };
}

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  post(url, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers });

export const postProtobuf = (url: string, body: Uint8Array, headers: Record<string, string> = {}) =>
  post(url, body, { 'content-type': 'application/x-protobuf', ...headers });

export function partialSuccessOf(signal: Signal, reply: Reply): PartialSuccess | undefined {
  return decodeExportResponse(signal, reply.encoding, reply.body);
}

function protoVarint(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
  return out;
}

/**
 * A span whose one attribute is a kvlist nested `depth` levels, written back to front into one
 * buffer: far deeper than protobufjs (or any recursive builder) could encode.
 */
export function deeplyNestedSpan(depth: number): Buffer {
  const parts: number[][] = [];
  let inner = [0x0a, 0x01, 0x78]; // AnyValue { string_value: "x" }
  let size = inner.length;
  parts.push(inner);
  for (let level = 0; level < depth; level++) {
    // KeyValue { key: "k", value: <inner> } inside KeyValueList { values } inside AnyValue { kvlist_value }
    const keyValue = [0x0a, 0x01, 0x6b, 0x12, ...protoVarint(size)];
    size += keyValue.length;
    const list = [0x0a, ...protoVarint(size)];
    size += list.length;
    const any = [0x32, ...protoVarint(size)];
    size += any.length;
    inner = [...any, ...list, ...keyValue];
    parts.push(inner);
  }
  const attribute = [0x0a, 0x01, 0x61, 0x12, ...protoVarint(size)];
  size += attribute.length;
  const field = [0x4a, ...protoVarint(size)];
  parts.push(attribute, field);
  return Buffer.from(parts.reverse().flat());
}
