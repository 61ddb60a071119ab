// What the API can be told, and how `node api/server.ts` reads it from the environment.
import type { Logger } from 'pino';

export interface ApiOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  host: string;
  /** SQLite file, or ':memory:' for a store that lives as long as the process. */
  dbFile: string;
  /** Origin(s) of the shop's pages allowed by CORS: one origin, a comma-separated list, or '*' for any local origin. */
  frontendOrigin: string;
  /** Probability (0..1) that a checkout's payment is declined (except the always-good test card). */
  checkoutFailureRate: number;
  /** Probability (0..1) that a checkout's payment takes `slowMs` longer. */
  checkoutSlowRate: number;
  slowMs: number;
  logger: Logger;
  /** Source of randomness for the failure knobs (tests pass their own). Default Math.random. */
  random?: () => number;
}

export const API_DEFAULTS = {
  port: 3001,
  host: '127.0.0.1',
  dbFile: './data/demo-shop.sqlite',
  frontendOrigin: 'http://127.0.0.1:3000',
  checkoutFailureRate: 0.2,
  checkoutSlowRate: 0.2,
  slowMs: 1500,
} as const;

/** A probability from the environment; a bad value stops the start with the variable's name. */
function rateFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name} must be a number from 0 to 1, got "${text}"`);
  return value;
}

function integerFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0, got "${text}"`);
  return value;
}

/** Everything but the logger, from PORT, DEMO_DB, DEMO_FRONTEND_ORIGIN and the DEMO_CHECKOUT_* knobs. */
export function apiOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<ApiOptions, 'logger'> {
  return {
    port: integerFromEnv(env, 'PORT', API_DEFAULTS.port),
    host: API_DEFAULTS.host,
    dbFile: env.DEMO_DB || API_DEFAULTS.dbFile,
    frontendOrigin: env.DEMO_FRONTEND_ORIGIN || API_DEFAULTS.frontendOrigin,
    checkoutFailureRate: rateFromEnv(env, 'DEMO_CHECKOUT_FAILURE_RATE', API_DEFAULTS.checkoutFailureRate),
    checkoutSlowRate: rateFromEnv(env, 'DEMO_CHECKOUT_SLOW_RATE', API_DEFAULTS.checkoutSlowRate),
    slowMs: integerFromEnv(env, 'DEMO_CHECKOUT_SLOW_MS', API_DEFAULTS.slowMs),
  };
}
