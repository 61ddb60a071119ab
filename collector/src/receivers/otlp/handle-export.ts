import {
  decodeJsonRequest,
  decodeProtobufRequest,
  encodeExportResponse,
  OtlpDecodeError,
  type ConsumeContext,
  type Consumer,
  type OtlpEncoding,
  type PartialSuccess,
  type ReceiverReport,
  type Signal,
  type SignalBatch,
  type TelemetryItem,
} from '@stitch/collector-api';
import { consumeErrorToHttp } from './consume-error.js';
import { dropInvalidItems } from './drop-invalid-items.js';
import { HttpError } from './http-error.js';
import type { RefusalLog } from './refusal-log.js';
import { jsonNestsDeeperThan, otlpJsonDepthFor } from './json-depth.js';
import type { RecordLimits } from './record-limits.js';
import { countBatch, countProtobufRequest } from './request-counts.js';

export interface ExportDeps {
  report: ReceiverReport;
  refusals: RefusalLog;
  limits: RecordLimits;
  /** `limits.max_value_depth`, for the JSON nesting check before parsing. */
  maxValueDepth: number;
}

/** Decodes the body, refusing before any record is made what the request-wide limits forbid. */
function decode(signal: Signal, encoding: OtlpEncoding, body: Buffer, deps: ExportDeps): { batch: SignalBatch; invalid: WeakMap<TelemetryItem, string> } {
  try {
    if (encoding === 'protobuf') {
      const counts = countProtobufRequest(body);
      deps.limits.checkCounts(signal, counts.groups, counts.items);
      return { batch: decodeProtobufRequest(signal, body), invalid: new WeakMap() };
    }
    if (jsonNestsDeeperThan(body, otlpJsonDepthFor(deps.maxValueDepth))) {
      const levels = otlpJsonDepthFor(deps.maxValueDepth);
      throw new HttpError(400, `body nests JSON more than ${levels} levels deep: attribute and body values may nest at most max_value_depth (${deps.maxValueDepth}) levels`);
    }
    const decoded = decodeJsonRequest(signal, body.toString('utf8'));
    const counts = countBatch(decoded.batch);
    deps.limits.checkCounts(signal, counts.groups, counts.items);
    return decoded;
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw new HttpError(400, error.message);
    // The decoder recursing too deep in spite of the checks above is still the client's data.
    if (error instanceof RangeError) throw new HttpError(400, `body could not be decoded: ${error.message}`);
    throw error;
  }
}

/**
 * One export request, from decoded body to response body: decode once, hold records to the
 * limits (truncating or rejecting them), drop invalid items, hand the rest to the pipeline,
 * and answer with partial_success when something was dropped.
 * Failures are thrown as HttpError.
 */
export async function handleExport(
  signal: Signal,
  encoding: OtlpEncoding,
  body: Buffer,
  consumer: Consumer,
  context: ConsumeContext,
  deps: ExportDeps,
): Promise<Uint8Array> {
  const { report } = deps;
  const { batch, invalid } = decode(signal, encoding, body, deps);
  deps.limits.apply(batch, invalid);
  const partial: PartialSuccess | undefined = dropInvalidItems(batch, invalid);
  if (partial) report.refused(signal, partial.rejected);

  if (batch.resources.length > 0) {
    const count = batch.itemCount();
    try {
      await consumer.consume(batch, context);
    } catch (error) {
      report.refused(signal, count);
      const answer = consumeErrorToHttp(error);
      if (answer.status >= 500) deps.refusals.note(signal, count, error);
      throw answer;
    }
    report.accepted(signal, count);
  }
  return encodeExportResponse(signal, encoding, partial);
}
