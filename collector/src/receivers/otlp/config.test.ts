import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '@stitch/collector-api';
import { otlpReceiverConfigSchema } from './config.js';

const validate = (value: unknown) => validateConfig(otlpReceiverConfigSchema, value, 'receivers.otlp');
const DEFAULT_HTTP = {
  endpoint: '127.0.0.1:4318',
  max_request_body_size: 20 * 1024 * 1024,
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
    }
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
