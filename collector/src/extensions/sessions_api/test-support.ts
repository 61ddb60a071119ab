// Test helpers for the sessions API: a Host exposing given exporters, and small HTTP calls.
import type { Exporter, Host } from '@stitch/collector-api';

/** A Host whose exporters are the given objects (only `getExporter` matters to the API). */
export function hostWith(exporters: Record<string, object>): Host {
  return {
    getExtension: () => undefined,
    getExporter: <T extends Exporter>(id: string) => exporters[id] as T | undefined,
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  json: any;
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
