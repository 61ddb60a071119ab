import type { Server } from 'node:http';
import { splitHostPort } from '@stitch/collector-api';

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'host name not found',
};

/**
 * Starts listening on `host:port`; the error names the config key (`receivers.otlp`,
 * `extensions.health_check`…) and the endpoint in plain words.
 */
export function listen(server: Server, endpoint: string, configKey: string): Promise<{ host: string; port: number }> {
  const { host, port } = splitHostPort(endpoint);
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = (error.code && LISTEN_ERRORS[error.code]) ?? error.message;
      reject(new Error(`${configKey}: cannot listen on ${endpoint}: ${reason}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve({ host, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

/** Stops a small server (health, metrics): drops its connections and waits for it to close. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
