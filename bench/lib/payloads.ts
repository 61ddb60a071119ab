import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Realistic OTLP/protobuf trace export requests, made by the official OpenTelemetry JS SDK and
 * serialized by its own serializer (`ProtobufTraceSerializer`), exactly what an instrumented Node
 * service sends. Each request holds `spansPerRequest` spans in traces of one server span, a few
 * database/client children and an internal span; most spans carry ~10 attributes, some carry events.
 */
export function buildTracePayloads(count: number, spansPerRequest: number): Uint8Array[] {
  const payloads: Uint8Array[] = [];
  for (let p = 0; p < count; p++) payloads.push(buildOne(p, spansPerRequest));
  return payloads;
}

const ROUTES = ['/api/cart', '/api/products/:id', '/api/checkout', '/api/users/:id/orders', '/api/search', '/health'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = [200, 200, 200, 201, 204, 304, 400, 404, 500];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
];
const STATEMENTS = [
  'SELECT id, name, price, stock FROM products WHERE id = $1',
  'SELECT o.id, o.total, o.created_at FROM orders o WHERE o.user_id = $1 ORDER BY o.created_at DESC LIMIT 20',
  'UPDATE carts SET items = $2, updated_at = now() WHERE session_id = $1',
  'INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES ($1, $2, $3, $4)',
];

function buildOne(index: number, spansPerRequest: number): Uint8Array {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'shop-backend',
      'service.version': '2.14.3',
      'service.namespace': 'shop',
      'service.instance.id': `b7d1c9e0-4a5f-4e8b-9c1d-${String(index).padStart(12, '0')}`,
      'deployment.environment.name': 'production',
      'host.name': `shop-backend-7f9c6d5b8-${index}x2kq`,
      'host.arch': 'amd64',
      'os.type': 'linux',
      'process.pid': 4242 + index,
      'process.runtime.name': 'nodejs',
      'process.runtime.version': '20.19.0',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': '2.12.1',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const http = provider.getTracer('@opentelemetry/instrumentation-http', '0.223.1');
  const pg = provider.getTracer('@opentelemetry/instrumentation-pg', '0.61.0');
  const app = provider.getTracer('shop-backend', '2.14.3');

  const base = Date.UTC(2025, 0, 15, 12, 0, 0) + index * 60_000;
  let made = 0;
  let trace_ = 0;
  const end = (span: Span, startMs: number, durationMs: number) => {
    span.end(startMs + durationMs);
    made++;
  };
  while (made < spansPerRequest) {
    const t = trace_++;
    const start = base + t * 37;
    const route = ROUTES[t % ROUTES.length]!;
    const method = METHODS[t % METHODS.length]!;
    const status = STATUSES[t % STATUSES.length]!;
    const sessionId = `sess-${index.toString(36)}-${(t % 97).toString(36).padStart(6, '0')}`;
    const common = {
      'session.id': sessionId,
      'stitch.sampled': t % 3 !== 0,
      'app.cart.items': (t * 7) % 23,
      'app.cart.value': Math.round(((t * 13.37) % 500) * 100) / 100,
    };
    const server = http.startSpan(
      `${method} ${route}`,
      {
        kind: SpanKind.SERVER,
        startTime: start,
        attributes: {
          'http.request.method': method,
          'http.route': route,
          'http.response.status_code': status,
          'url.full': `https://shop.example.com${route.replace(':id', String(1000 + t))}?ref=campaign-${t % 5}`,
          'server.address': 'shop.example.com',
          'user_agent.original': USER_AGENTS[t % USER_AGENTS.length]!,
          ...common,
        },
      },
      context.active(),
    );
    if (status >= 500) server.setStatus({ code: SpanStatusCode.ERROR, message: 'Internal Server Error' });
    const parent = trace.setSpan(context.active(), server);
    const children = Math.min(3, spansPerRequest - made - 1);
    for (let c = 0; c < children; c++) {
      const db = pg.startSpan(
        `pg.query:${c === 0 ? 'SELECT' : 'UPDATE'} shop`,
        {
          kind: SpanKind.CLIENT,
          startTime: start + 2 + c * 4,
          attributes: {
            'db.system.name': 'postgresql',
            'db.namespace': 'shop',
            'db.query.text': STATEMENTS[(t + c) % STATEMENTS.length]!,
            'db.operation.name': c === 0 ? 'SELECT' : 'UPDATE',
            'server.address': 'pg-primary.internal',
            'server.port': 5432,
            'network.peer.address': '10.0.3.17',
            ...common,
          },
        },
        parent,
      );
      if ((t + c) % 8 === 0) {
        db.addEvent('pg.pool.wait', { 'pool.waiting': 3, 'pool.total': 10 }, start + 2 + c * 4);
      }
      end(db, start + 2 + c * 4, 3);
    }
    if (made < spansPerRequest - 1) {
      const render = app.startSpan('render cart summary', { startTime: start + 15, attributes: { 'app.template': 'cart-summary', ...common } }, parent);
      if (t % 4 === 0) render.addEvent('cache.miss', { 'cache.key': `cart:${sessionId}` }, start + 16);
      end(render, start + 15, 4);
    }
    if (status >= 500) {
      server.recordException({ name: 'DatabaseError', message: 'deadlock detected', stack: 'DatabaseError: deadlock detected\n    at Query.handleError (pg/lib/query.js:128:19)' }, start + 20);
    }
    server.addEvent('http.response.sent', { 'http.response.body.size': 1834 + t }, start + 21);
    end(server, start, 22);
  }
  const spans = exporter.getFinishedSpans();
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error('ProtobufTraceSerializer returned nothing');
  void provider.shutdown();
  return bytes;
}
