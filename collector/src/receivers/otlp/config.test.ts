import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '@stitch/collector-api';
import { otlpReceiverConfigSchema } from './config.js';

const validate = (value: unknown) => validateConfig(otlpReceiverConfigSchema, value, 'receivers.otlp');
const DEFAULT_HTTP = {
  endpoint: '127.0.0.1:4318',
  max_request_body_size: 20 * 1024 * 1024,
  max_header_size: 16 * 1024,
  max_header_count: 100,
  max_in_flight_bytes: 64 * 1024 * 1024,
  read_header_timeout: 10_000,
  read_timeout: 60_000,
  idle_timeout: 60_000,
  include_metadata: false,
  traces_url_path: '/v1/traces',
  logs_url_path: '/v1/logs',
  metrics_url_path: '/v1/metrics',
};

describe('otlp receiver config', () => {
  it('fills every default for `otlp:`, `protocols: {}`, `http: {}` and `http:` with no value', () => {
    for (const value of [undefined, null, {}, { protocols: null }, { protocols: {} }, { protocols: { http: {} } }, { protocols: { http: null } }]) {
      const result = validate(value);
      assert.ok(result.ok, JSON.stringify(value));
      assert.deepEqual(result.config.protocols.http, DEFAULT_HTTP);
      assert.equal(result.config.protocols.http.cors, undefined);
      assert.deepEqual(result.config.limits, {
        max_items_per_request: 100_000,
        max_attributes: 256,
        max_attribute_value_length: 65_536,
        max_array_length: 1024,
        max_value_depth: 16,
      });
    }
  });

  it('reads the limits, header and timeout keys (durations as text)', () => {
    const result = validate({
      protocols: {
        http: { max_decompressed_body_size: 1000, max_header_size: 8192, max_header_count: 20, read_header_timeout: '2s', read_timeout: '1m', idle_timeout: '500ms' },
      },
      limits: { max_items_per_request: 10, max_attributes: 5, max_attribute_value_length: 100, max_array_length: 7, max_value_depth: 3 },
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    const http = result.config.protocols.http;
    assert.deepEqual(
      [http.max_decompressed_body_size, http.max_header_size, http.max_header_count, http.read_header_timeout, http.read_timeout, http.idle_timeout],
      [1000, 8192, 20, 2000, 60_000, 500],
    );
    assert.equal(result.config.limits.max_value_depth, 3);
  });

  it('names bad limit and timeout keys', () => {
    const result = validate({
      protocols: { http: { read_header_timeout: '2m', read_timeout: '1m', idle_timeout: '0s' } },
      limits: { max_attributes: 0, max_array_lenght: 3 },
    });
    assert.ok(!result.ok);
    const problems = Object.fromEntries(result.problems.map((problem) => [problem.path, problem.message]));
    assert.deepEqual(Object.keys(problems).sort(), [
      'receivers.otlp.limits.max_array_lenght',
      'receivers.otlp.limits.max_attributes',
      'receivers.otlp.protocols.http.idle_timeout',
      'receivers.otlp.protocols.http.read_header_timeout',
    ]);
    assert.match(problems['receivers.otlp.protocols.http.read_header_timeout']!, /must not exceed read_timeout \(60000 ms\), got 120000 ms/);
  });

  it('reads every key', () => {
    const result = validate({
      protocols: {
        http: {
          endpoint: '0.0.0.0:14318',
          max_request_body_size: 4194304,
          include_metadata: true,
          traces_url_path: 'custom/traces',
          cors: { allowed_origins: ['https://*.example.com'], allowed_headers: ['x-stitch-key'], max_age: 7200 },
        },
      },
    });
    assert.ok(result.ok);
    assert.deepEqual(result.config.protocols.http, {
      ...DEFAULT_HTTP,
      endpoint: '0.0.0.0:14318',
      max_request_body_size: 4194304,
      include_metadata: true,
      traces_url_path: '/custom/traces',
      cors: { allowed_origins: ['https://*.example.com'], allowed_headers: ['x-stitch-key'], max_age: 7200 },
    });
  });

  it('rejects protocols.grpc with a message saying only http is supported', () => {
    for (const grpc of [null, {}, { endpoint: '0.0.0.0:4317' }]) {
      const result = validate({ protocols: { grpc, http: null } });
      assert.ok(!result.ok);
      assert.equal(result.problems.length, 1);
      assert.equal(result.problems[0]!.path, 'receivers.otlp.protocols.grpc');
      assert.match(result.problems[0]!.message, /^only protocols\.http is supported/);
    }
  });

  it('names unknown and bad keys with their full path', () => {
    const result = validate({ protocols: { http: { endpont: 'x', max_request_body_size: -1, cors: { allowed_origin: [] } } } });
    assert.ok(!result.ok);
    const paths = result.problems.map((problem) => problem.path).sort();
    assert.deepEqual(paths, [
      'receivers.otlp.protocols.http.cors.allowed_origin',
      'receivers.otlp.protocols.http.endpont',
      'receivers.otlp.protocols.http.max_request_body_size',
    ]);
  });

  it('rejects an endpoint that is not host:port', () => {
    const result = validate({ protocols: { http: { endpoint: 'localhost' } } });
    assert.ok(!result.ok);
    assert.equal(result.problems[0]!.path, 'receivers.otlp.protocols.http.endpoint');
  });
});
