import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

// Export responses are tiny; a peer sending more is misbehaving and we only need the start.
const MAX_RESPONSE_BYTES = 1 << 20;

/** POSTs over keep-alive connections (a TCP+TLS handshake per batch would cap throughput). */
export class KeepAliveHttpClient {
  readonly #httpAgent = new http.Agent({ keepAlive: true });
  readonly #httpsAgent = new https.Agent({ keepAlive: true });

  constructor(private readonly timeoutMs: number) {}

  /** Resolves with any HTTP response; rejects on network errors, the timeout, or `signal`. */
  post(url: URL, headers: http.OutgoingHttpHeaders, body: Uint8Array, signal: AbortSignal): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, response?: HttpResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(response!);
      };
      const isHttps = url.protocol === 'https:';
      const request = (isHttps ? https : http).request(
        url,
        { method: 'POST', agent: isHttps ? this.#httpsAgent : this.#httpAgent, headers: { ...headers, 'content-length': body.length }, signal },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
          });
          response.on('end', () =>
            finish(undefined, { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
          );
          response.on('error', finish);
          response.on('close', () => finish(new Error('connection closed before the response ended')));
        },
      );
      const timer = setTimeout(() => request.destroy(new Error(`request timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
      request.on('error', finish);
      request.end(body);
    });
  }

  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }
}
