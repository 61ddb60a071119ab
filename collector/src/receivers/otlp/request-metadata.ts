import type { IncomingMessage } from 'node:http';

/** Request headers as ConsumeContext.metadata: names lower-cased (Node does), repeats joined. */
export function requestMetadata(request: IncomingMessage): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    metadata[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return metadata;
}
