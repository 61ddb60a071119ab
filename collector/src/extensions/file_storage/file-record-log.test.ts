import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LogFullError } from '@stitch/collector-api';
import { testSettings } from '../../testing/settings.js';
import { capturingLogger } from '../../exporters/testing/capturing-logger.js';
import { fileStorageExtensionFactory } from './factory.js';
import { FileRecordLog, type FileRecordLogOptions } from './file-record-log.js';

function options(overrides: Partial<FileRecordLogOptions> = {}): FileRecordLogOptions & { damage: { corrupt: number; truncated: boolean }[] } {
  const damage: { corrupt: number; truncated: boolean }[] = [];
  return {
    directory: mkdtempSync(join(tmpdir(), 'stitch-log-')),
    fsync: true,
    segmentBytes: 1 << 20,
    maxBytes: 1 << 30,
    onDamage: (d) => damage.push({ corrupt: d.corrupt, truncated: d.truncated }),
    damage,
    ...overrides,
  };
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const segmentFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.log')).sort();

/** Files are deleted once their descriptors are closed, a moment after the release. */
async function eventually(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check());
}

async function recoveredTexts(log: FileRecordLog): Promise<string[]> {
  return Promise.all(log.recovered.map(async (ref) => text(await log.read(ref))));
}

describe('file record log', () => {
  it('gives back, after a reopen, exactly the records not released, in append order', async () => {
    const opts = options();
    const log = await FileRecordLog.open(opts);
    const refs = await Promise.all(['a', 'b', 'c', 'd'].map((t) => log.append(Buffer.from(t))));
    log.release(refs[1]!);
    await log.close();

    const again = await FileRecordLog.open(opts);
    assert.deepEqual(await recoveredTexts(again), ['a', 'c', 'd']);
    // New records go to a new segment, after the recovered ones.
    await again.append(Buffer.from('e'));
    await again.close();
    const third = await FileRecordLog.open(opts);
    assert.deepEqual(await recoveredTexts(third), ['a', 'c', 'd', 'e']);
    assert.deepEqual(opts.damage, []);
  });

  it('deletes a segment once all its records are released, and leaves nothing when all are delivered', async () => {
    const opts = options({ segmentBytes: 64 });
    const log = await FileRecordLog.open(opts);
    const refs = [];
    for (let i = 0; i < 6; i++) refs.push(await log.append(Buffer.alloc(40, i)));
    assert.equal(segmentFiles(opts.directory).length, 6, 'a 40-byte record fills a 64-byte segment');
    for (const ref of refs.slice(0, 3)) log.release(ref);
    await eventually(() => segmentFiles(opts.directory).length === 3);
    for (const ref of refs.slice(3)) log.release(ref);
    await log.close();
    await eventually(() => readdirSync(opts.directory).length === 0);
    assert.equal(log.bytes, 0);
  });

  it('skips a torn last record (a write cut short by kill -9) and counts it', async () => {
    const opts = options();
    const log = await FileRecordLog.open(opts);
    await log.append(Buffer.from('whole'));
    await log.append(Buffer.from('torn record'));
    await log.close();
    const [file] = segmentFiles(opts.directory);
    const path = join(opts.directory, file!);
    truncateSync(path, readFileSync(path).length - 4);

    const again = await FileRecordLog.open(opts);
    assert.deepEqual(await recoveredTexts(again), ['whole']);
    assert.deepEqual(opts.damage, [{ corrupt: 0, truncated: true }]);
    // The damaged segment is only read: new records are whole after a reopen.
    await again.append(Buffer.from('after'));
    await again.close();
    assert.deepEqual(await recoveredTexts(await FileRecordLog.open(opts)), ['whole', 'after']);
  });

  it('skips a record with a flipped bit and keeps the ones after it', async () => {
    const opts = options();
    const log = await FileRecordLog.open(opts);
    await log.append(Buffer.from('first'));
    const second = await log.append(Buffer.from('second'));
    await log.append(Buffer.from('third'));
    await log.close();
    const [file] = segmentFiles(opts.directory);
    const path = join(opts.directory, file!);
    const bytes = readFileSync(path);
    bytes[second.offset + 12 + 2]! ^= 0x10;
    writeFileSync(path, bytes);

    const again = await FileRecordLog.open(opts);
    assert.deepEqual(await recoveredTexts(again), ['first', 'third']);
    assert.deepEqual(opts.damage, [{ corrupt: 1, truncated: false }]);
  });

  it('survives a segment file of garbage (a crash loop is never the answer)', async () => {
    const opts = options();
    writeFileSync(join(opts.directory, '000000000007.log'), Buffer.from('not a record log at all'));
    const log = await FileRecordLog.open(opts);
    assert.deepEqual(log.recovered, []);
    assert.deepEqual(opts.damage, [{ corrupt: 1, truncated: false }]);
    const ref = await log.append(Buffer.from('x'));
    assert.equal(ref.segment, 8, 'new segments are numbered after any found');
    await log.close();
  });

  it('skips an unreadable segment (here: a directory where a segment should be) instead of failing to start', async () => {
    const opts = options();
    mkdirSync(join(opts.directory, '000000000003.log'));
    const log = await FileRecordLog.open(opts);
    assert.deepEqual(opts.damage, [{ corrupt: 1, truncated: false }]);
    assert.equal((await log.append(Buffer.from('x'))).segment, 4);
    await log.close();
  });

  it('refuses appends past maxBytes and takes them again once records are released', async () => {
    const opts = options({ maxBytes: 100, segmentBytes: 30 });
    const log = await FileRecordLog.open(opts);
    const refs = [];
    for (let i = 0; i < 5; i++) refs.push(await log.append(Buffer.alloc(8))); // 20 bytes framed
    await assert.rejects(log.append(Buffer.alloc(8)), LogFullError);
    log.release(refs[0]!);
    await log.append(Buffer.alloc(8));
    assert.ok(log.bytes <= 100);
    await log.close();
  });

  it('keeps every one of many concurrent appends, in the order they were made', async () => {
    const opts = options();
    const log = await FileRecordLog.open(opts);
    await Promise.all(Array.from({ length: 500 }, (_, i) => log.append(Buffer.from(`record ${i}`))));
    await log.close();
    const texts = await recoveredTexts(await FileRecordLog.open(opts));
    assert.deepEqual(texts, Array.from({ length: 500 }, (_, i) => `record ${i}`));
  });
});

describe('file_storage extension', () => {
  it('scopes logs by component and refuses a directory another live process holds', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'stitch-storage-'));
    const config = fileStorageExtensionFactory.configSchema.parse({ directory });
    const logger = capturingLogger();
    const storage = fileStorageExtensionFactory.create(testSettings('file_storage', logger), config) as import('./file-storage.js').FileStorageExtension;
    await storage.start();
    const a = await storage.clientFor('exporter', 'otlphttp/a').openLog('sending_queue');
    const b = await storage.clientFor('exporter', 'otlphttp/b').openLog('sending_queue');
    await a.append(Buffer.from('for a'));
    await b.close();
    await a.close();
    assert.ok(existsSync(join(directory, 'exporter_otlphttp%2Fa', 'sending_queue')));
    const reopened = await storage.clientFor('exporter', 'otlphttp/b').openLog('sending_queue');
    assert.equal(reopened.recovered.length, 0, 'b never sees a\'s records');

    // A live process holding the lock (here: the test runner that started this process) keeps a second collector out.
    const sleeper = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(sleeper.stdout);
    await storage.shutdown();
    writeFileSync(join(directory, 'LOCK'), String(process.ppid));
    const second = fileStorageExtensionFactory.create(testSettings('file_storage'), config) as import('./file-storage.js').FileStorageExtension;
    assert.throws(() => second.start(), /in use by process/);
    // A lock left by a process that died is taken over.
    writeFileSync(join(directory, 'LOCK'), String(deadPid));
    second.start();
    await second.shutdown();
  });
});
