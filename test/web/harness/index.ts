export { launchBrowser, openApp, waitForApp, watchConsole, CHROMIUM_ARGS, CHROMIUM_PATH, type TestBrowser } from './browser.js';
export { TestCollector } from '../../helpers/collector.js';
export { allStrings, describeRecords, sessionIdOf, type ExportedLog, type ExportedSpan, type Value } from '../../helpers/otlp.js';
export { startStack, type Stack } from './stack.js';

import type { ExportedLog, ExportedSpan } from '../../helpers/otlp.js';

/** Records of one test: each test gives Stitch.init its own serviceName. */
export const ofService =
  (service: string) =>
  (record: ExportedSpan | ExportedLog): boolean =>
    record.resource['service.name'] === service;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
