// session_stitch with `storage: file_storage`: records held for their session are journaled before
// the client is acknowledged, and come back after a crash (here: a second processor over the same
// directory while the first one was never shut down).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ResourceGroup, ResourceRecord, ScopeGroup, ScopeRecord, SignalBatch, SpanRecord, type Consumer, type Host, type Traces } from '@stitch/collector-api';
import { sessionStitchProcessorFactory } from '@stitch/processors';
import { testSettings } from '../../testing/settings.js';
import { fileStorageExtensionFactory } from './factory.js';
import type { FileStorageExtension } from './file-storage.js';

function childSpans(traceIdByte: number, names: string[]): Traces {
  const spans = names.map((name, i) =>
    SpanRecord.fromBytes(
      SpanRecord.fromValue({
        traceId: Buffer.alloc(16, traceIdByte),
        spanId: Buffer.alloc(8, i + 1),
        parentSpanId: Buffer.alloc(8, 0xaa), // a child: its browser parent may still come
        name,
        startTimeUnixNano: 1,
        endTimeUnixNano: 2,
        attributes: [],
        events: [],
        links: [],
      }).encode(),
    ),
  );
  return new SignalBatch('traces', [new ResourceGroup(ResourceRecord.empty(), [new ScopeGroup(ScopeRecord.empty(), spans)])]);
}

async function running(directory: string, wait: string, next: Consumer<'traces'>) {
  const storage = fileStorageExtensionFactory.create(testSettings('file_storage'), fileStorageExtensionFactory.configSchema.parse({ directory })) as FileStorageExtension;
  await storage.start();
  const config = sessionStitchProcessorFactory.configSchema.parse({ wait, storage: 'file_storage' });
  const processor = sessionStitchProcessorFactory.create(testSettings('session_stitch'), config, 'traces', next);
  const host: Host = { getExtension: <T>(id: string) => (id === 'file_storage' ? storage : undefined) as T | undefined, getExporter: () => undefined };
  await processor.start!(host);
  return { processor, storage };
}

test('held records survive a crash and are released after the restart; delivered ones leave the disk', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'stitch-held-'));
  const firstRun: string[] = [];
  const first = await running(directory, '1h', { consume: async (batch) => void firstRun.push(...batch.items().map((s) => s.name)) });
  await first.processor.consume(childSpans(1, ['held-a', 'held-b']), {});
  await first.processor.consume(childSpans(2, ['held-c']), {});
  assert.deepEqual(firstRun, [], 'unknown traces wait for their session');
  const journal = join(directory, 'processor_session_stitch', 'held_traces');
  assert.ok(readdirSync(journal).some((f) => f.endsWith('.log')), 'acknowledged held records are on disk');
  // The first run dies here: no shutdown, nothing released.

  const secondRun: string[] = [];
  const second = await running(directory, '50ms', { consume: async (batch) => void secondRun.push(...batch.items().map((s) => s.name)) });
  const deadline = Date.now() + 5_000;
  while (secondRun.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(secondRun.sort(), ['held-a', 'held-b', 'held-c']);
  await second.processor.shutdown!();
  await second.storage.shutdown();
  assert.deepEqual(readdirSync(journal).filter((f) => f.endsWith('.log')), [], 'delivered records are gone from the journal');
});
