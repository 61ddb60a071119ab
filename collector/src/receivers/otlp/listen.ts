import type { Server } from 'node:http';
import { splitHostPort } from '@stitch/collector-api';

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'host name not found',
};

/** Starts listening on `host:port`; the error names the component and endpoint in plain words. */
export function listen(server: Server, endpoint: string, componentId: string): Promise<{ host: string; port: number }> {
  const { host, port } = splitHostPort(endpoint);
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = (error.code && LISTEN_ERRORS[error.code]) ?? error.message;
      reject(new Error(`receivers.${componentId}: cannot listen on ${endpoint}: ${reason}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve({ host, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}
