import { pino } from 'pino';
import type { Logger } from '@stitch/collector-api';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** JSON lines on stderr, one object per event, with a level and a timestamp. */
export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({ level, base: { service: 'stitch-collector' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}

/** A logger that drops everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
