import assert from 'node:assert/strict';
import { test } from 'node:test';
import { API_DEFAULTS, apiOptionsFromEnv } from './options.js';

test('defaults when nothing is set', () => {
  assert.deepEqual(apiOptionsFromEnv({}), { ...API_DEFAULTS });
});

test('PORT, DEMO_DB, DEMO_FRONTEND_ORIGIN and the checkout knobs are read', () => {
  const options = apiOptionsFromEnv({
    PORT: '4001',
    DEMO_DB: ':memory:',
    DEMO_FRONTEND_ORIGIN: '*',
    DEMO_CHECKOUT_FAILURE_RATE: '0',
    DEMO_CHECKOUT_SLOW_RATE: '1',
    DEMO_CHECKOUT_SLOW_MS: '10',
  });
  assert.deepEqual(options, { port: 4001, host: '127.0.0.1', dbFile: ':memory:', frontendOrigin: '*', checkoutFailureRate: 0, checkoutSlowRate: 1, slowMs: 10 });
});

test('a bad value stops the start and names the variable', () => {
  assert.throws(() => apiOptionsFromEnv({ DEMO_CHECKOUT_FAILURE_RATE: '20%' }), /DEMO_CHECKOUT_FAILURE_RATE must be a number from 0 to 1, got "20%"/);
  assert.throws(() => apiOptionsFromEnv({ DEMO_CHECKOUT_SLOW_RATE: '1.5' }), /DEMO_CHECKOUT_SLOW_RATE/);
  assert.throws(() => apiOptionsFromEnv({ PORT: 'http' }), /PORT must be a whole number/);
});
