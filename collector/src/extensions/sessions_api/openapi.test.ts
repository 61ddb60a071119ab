// The hand-written OpenAPI document must describe exactly what the router serves and the parsers take.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capturingLogger } from '../../exporters/testing/capturing-logger.js';
import { createSessionsApiApp } from './app.js';
import { openApiDocument } from './openapi.js';
import { AUDIT_PARAMETERS } from './audit-query.js';
import { DETAIL_PARAMETERS, KPI_PARAMETERS, LIST_PARAMETERS } from './query-params.js';

type Operation = { parameters?: { $ref: string }[]; responses: Record<string, unknown> };
const paths = openApiDocument.paths as unknown as Record<string, Record<string, Operation>>;
const components = openApiDocument.components as unknown as Record<string, Record<string, unknown>>;

/** `METHOD /path/{param}` of every route the express app registers (HEAD comes with GET). */
function servedRoutes(): string[] {
  const app = createSessionsApiApp({
    store: () => {
      throw new Error('not used');
    },
    jaegerUiUrl: undefined,
    corsAllowedOrigins: undefined,
    logger: capturingLogger(),
  });
  const routes: string[] = [];
  for (const layer of app.router.stack) {
    const route = layer.route as unknown as { path: string; methods: Record<string, boolean> } | undefined;
    if (!route) continue;
    for (const method of Object.keys(route.methods)) {
      if (method === '_all') continue; // the 405 answer for every other method
      routes.push(`${method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes.sort();
}

function documentedRoutes(): string[] {
  return Object.entries(paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

function parameterNames(path: string, method: string, where: 'query' | 'path'): string[] {
  const refs = paths[path]?.[method]?.parameters ?? [];
  return refs
    .map((ref) => components.parameters![ref.$ref.split('/').pop()!] as { name: string; in: string })
    .filter((parameter) => parameter.in === where)
    .map((parameter) => parameter.name)
    .sort();
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1', () => {
    assert.equal(openApiDocument.openapi, '3.1.0');
  });

  it('lists every route the router serves, and no other', () => {
    assert.deepEqual(documentedRoutes(), servedRoutes());
  });

  it('lists exactly the query parameters each endpoint accepts', () => {
    assert.deepEqual(parameterNames('/api/sessions', 'get', 'query'), [...LIST_PARAMETERS].sort());
    assert.deepEqual(parameterNames('/api/kpis', 'get', 'query'), [...KPI_PARAMETERS].sort());
    assert.deepEqual(parameterNames('/api/sessions/{id}', 'get', 'query'), [...DETAIL_PARAMETERS].sort());
    assert.deepEqual(parameterNames('/api/audit', 'get', 'query'), [...AUDIT_PARAMETERS].sort());
    for (const [path, method] of [
      ['/api/sessions/{id}', 'delete'],
      ['/api/users/{id}', 'delete'],
      ['/api/users/{id}/export', 'get'],
      ['/api/openapi.json', 'get'],
      ['/', 'get'],
    ] as const) {
      assert.deepEqual(parameterNames(path, method, 'query'), [], `${method} ${path}`);
    }
  });

  it('declares each path template parameter', () => {
    for (const [path, operations] of Object.entries(paths)) {
      const template = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
      for (const method of Object.keys(operations)) assert.deepEqual(parameterNames(path, method, 'path'), template, `${method} ${path}`);
    }
  });

  it('resolves every $ref', () => {
    const refs = JSON.stringify(openApiDocument).match(/"\$ref":"[^"]+"/g) ?? [];
    assert.ok(refs.length > 20);
    for (const ref of refs) {
      const [, , section, name] = ref.slice(8, -1).split('/');
      assert.ok(components[section!]?.[name!], `${ref} resolves`);
    }
  });

  it('documents bearer auth with 401 (and 403 where a role is needed) on every /api endpoint but this document', () => {
    assert.ok(components.securitySchemes?.bearer);
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations) as [string, Operation & { security?: unknown }][]) {
        const open = path === '/' || path === '/api/openapi.json';
        assert.equal(operation.security === undefined, open, `${method} ${path} security`);
        if (!open) assert.ok(operation.responses['401'], `${method} ${path} documents 401`);
        // Every token may ask who it belongs to; all the others need a role.
        if (!open && path !== '/api/me') assert.ok(operation.responses['403'], `${method} ${path} documents 403`);
      }
    }
  });

  it('documents the 400 answer of every endpoint that parses a query', () => {
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (path === '/') continue;
        assert.ok(operation.responses['400'], `${method} ${path} documents 400`);
      }
    }
  });
});
