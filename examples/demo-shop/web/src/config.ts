// What the frontend server tells the pages through /config.js (window.__DEMO_CONFIG__).

export interface DemoConfig {
  /** OTLP/HTTP base URL of the collector (the SDK appends /v1/traces and /v1/logs). */
  collectorUrl: string;
  /** The shop API's origin, e.g. http://127.0.0.1:3001 (no trailing slash). */
  apiUrl: string;
  serviceName: string;
  environment: string;
  version: string;
}

declare global {
  interface Window {
    __DEMO_CONFIG__?: DemoConfig;
  }
}

export function readConfig(): DemoConfig {
  const config = window.__DEMO_CONFIG__;
  if (!config) throw new Error('window.__DEMO_CONFIG__ is missing: /config.js must load before the app');
  return { ...config, apiUrl: config.apiUrl.replace(/\/+$/, '') };
}
