import {
  decodeJsonRequest,
  decodeProtobufRequest,
  encodeExportResponse,
  OtlpDecodeError,
  type ConsumeContext,
  type Consumer,
  type Logger,
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

export interface ExportDeps {
  report: ReceiverReport;
  logger: Logger;
}

function decode(signal: Signal, encoding: OtlpEncoding, body: Buffer): { batch: SignalBatch; invalid?: WeakMap<TelemetryItem, string> } {
  try {
    if (encoding === 'protobuf') return { batch: decodeProtobufRequest(signal, body) };
    return decodeJsonRequest(signal, body.toString('utf8'));
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw new HttpError(400, error.message);
    throw error;
  }
}

/**
 * One export request, from decoded body to response body: decode once, drop invalid items,
 * hand the rest to the pipeline, and answer with partial_success when something was dropped.
 * Failures are thrown as HttpError.
 */
export async function handleExport(
  signal: Signal,
  encoding: OtlpEncoding,
  body: Buffer,
  consumer: Consumer,
  context: ConsumeContext,
  { report, logger }: ExportDeps,
): Promise<Uint8Array> {
  const { batch, invalid } = decode(signal, encoding, body);
  const partial: PartialSuccess | undefined = dropInvalidItems(batch, invalid);
  if (partial) report.refused(signal, partial.rejected);

  if (batch.resources.length > 0) {
    const count = batch.itemCount();
    try {
      await consumer.consume(batch, context);
    } catch (error) {
      report.refused(signal, count);
      const answer = consumeErrorToHttp(error);
      if (answer.status >= 500) logger.warn({ signal, items: count, err: error }, 'pipeline refused data from otlp receiver');
      throw answer;
    }
    report.accepted(signal, count);
  }
  return encodeExportResponse(signal, encoding, partial);
}
