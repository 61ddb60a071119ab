import { RpcCode } from '@stitch/collector-api';

/** A request the receiver answers with an HTTP error and a google.rpc.Status body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** Counted as `receiver_refused_requests{reason}` when set. */
    readonly refusalReason?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

// The google.rpc.Status code written beside each HTTP status (as the Go collector pairs them).
const DEADLINE_EXCEEDED = 4;
const PERMISSION_DENIED = 7;
const UNAUTHENTICATED = 16;
const RPC_CODE_BY_STATUS: Record<number, number> = {
  400: RpcCode.INVALID_ARGUMENT,
  401: UNAUTHENTICATED,
  403: PERMISSION_DENIED,
  404: RpcCode.NOT_FOUND,
  405: RpcCode.UNIMPLEMENTED,
  408: DEADLINE_EXCEEDED,
  413: RpcCode.RESOURCE_EXHAUSTED,
  415: RpcCode.UNIMPLEMENTED,
  429: RpcCode.RESOURCE_EXHAUSTED,
  431: RpcCode.RESOURCE_EXHAUSTED,
  503: RpcCode.UNAVAILABLE,
};

export function rpcCodeFor(status: number): number {
  return RPC_CODE_BY_STATUS[status] ?? RpcCode.INTERNAL;
}
