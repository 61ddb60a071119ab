import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { LogFullError, type RecordLog, type RecordRef } from '@stitch/collector-api';
import { encodeFrame, frameAt, FRAME_HEADER_BYTES, scanFrames } from './record-frame.js';

export interface FileRecordLogOptions {
  directory: string;
  /** fdatasync every write (and the directory when a file is created) before an append resolves. */
  fsync: boolean;
  /** A new segment file starts once the current one would pass this. */
  segmentBytes: number;
  /** Appends are refused once the files would pass this. */
  maxBytes: number;
  /** Called with what recovery skipped: damaged stretches and torn tails. */
  onDamage?: (damage: { file: string; corrupt: number; truncated: boolean }) => void;
}

interface Segment {
  id: number;
  path: string;
  bytes: number;
  /** Records appended (or in flight) and not yet released. */
  live: number;
  /** Open for appending (only the newest segment of this run). */
  handle?: Promise<FileHandle>;
  /** Appends queued or being written. */
  unwritten: number;
  /** Descriptor of the `.acks` file, opened on the first release. */
  acksFd?: number;
}

interface PendingWrite {
  segment: Segment;
  offset: number;
  frame: Buffer;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const SEGMENT_FILE = /^(\d{12})\.log$/;
const ACK_BYTES = 8;

/**
 * A record log as numbered segment files (`000000000001.log`) with one `.acks` file each. An
 * append goes to the newest segment; concurrent appends share one write and one fsync. A release
 * adds the record's offset to the segment's `.acks` file (not fsynced: a lost ack only means a
 * replay); once every record of a segment is released, both files are deleted. Segments left by
 * an earlier run are only read, never appended to, so a torn tail can never be followed by data.
 */
export class FileRecordLog implements RecordLog {
  readonly recovered: RecordRef[] = [];
  readonly #options: FileRecordLogOptions;
  readonly #segments = new Map<number, Segment>();
  #active: Segment | undefined;
  #nextId = 1;
  #bytes = 0;
  #queue: PendingWrite[] = [];
  #writing: Promise<void> | undefined;
  #closed = false;
  /** Deletions of fully delivered segments under way (close waits for them). */
  readonly #deleting = new Set<Promise<void>>();

  private constructor(options: FileRecordLogOptions) {
    this.#options = options;
  }

  static async open(options: FileRecordLogOptions): Promise<FileRecordLog> {
    const log = new FileRecordLog(options);
    log.#recover();
    return log;
  }

  get bytes(): number {
    return this.#bytes;
  }

  append(payload: Uint8Array): Promise<RecordRef> {
    if (this.#closed) return Promise.reject(new Error(`record log ${this.#options.directory} is closed`));
    const frame = encodeFrame(payload);
    if (this.#bytes + frame.length > this.#options.maxBytes) {
      return Promise.reject(new LogFullError(`record log ${this.#options.directory} would pass its bound of ${this.#options.maxBytes} bytes`));
    }
    const segment = this.#segmentFor(frame.length);
    const ref: RecordRef = { segment: segment.id, offset: segment.bytes, size: payload.length };
    segment.bytes += frame.length;
    segment.live++;
    segment.unwritten++;
    this.#bytes += frame.length;
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ segment, offset: ref.offset, frame, resolve, reject });
      this.#writing ??= this.#writeQueued();
    }).then(
      () => ref,
      (error: unknown) => {
        this.release(ref);
        throw error;
      },
    );
  }

  async read(ref: RecordRef): Promise<Uint8Array> {
    const segment = this.#segments.get(ref.segment);
    if (!segment) throw new Error(`record ${ref.segment}:${ref.offset} was released`);
    const handle = await open(segment.path, 'r');
    try {
      const buffer = Buffer.allocUnsafe(FRAME_HEADER_BYTES + ref.size);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, ref.offset);
      const found = frameAt(buffer.subarray(0, bytesRead), 0);
      if (typeof found !== 'object') throw new Error(`record ${ref.segment}:${ref.offset} of ${segment.path} is ${found}`);
      return found.payload;
    } finally {
      await handle.close();
    }
  }

  release(ref: RecordRef): void {
    const segment = this.#segments.get(ref.segment);
    if (!segment) return;
    segment.live--;
    if (segment.live <= 0) {
      this.#delete(segment);
      return;
    }
    try {
      segment.acksFd ??= openSync(ackPath(segment.path), 'a');
      const ack = Buffer.allocUnsafe(ACK_BYTES);
      ack.writeUInt32BE(ref.offset, 0);
      ack.writeUInt32BE(~ref.offset >>> 0, 4);
      writeSync(segment.acksFd, ack);
    } catch {
      // Without the ack the record is delivered again after a restart: at-least-once holds.
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#writing;
    await Promise.all(this.#deleting);
    for (const segment of this.#segments.values()) {
      await this.#closeFiles(segment);
    }
  }

  #segmentFor(frameBytes: number): Segment {
    const active = this.#active;
    if (active && (active.bytes === 0 || active.bytes + frameBytes <= this.#options.segmentBytes)) return active;
    const id = this.#nextId++;
    // The previous segment is full: its descriptor can go once its last writes are done.
    if (active && active.unwritten === 0) void this.#closeWriter(active);
    const segment: Segment = { id, path: join(this.#options.directory, `${String(id).padStart(12, '0')}.log`), bytes: 0, live: 0, unwritten: 0 };
    segment.handle = open(segment.path, 'wx').then((handle) => {
      if (this.#options.fsync) fsyncDirectory(this.#options.directory);
      return handle;
    });
    segment.handle.catch(() => {}); // the write that awaits it reports the error
    this.#segments.set(id, segment);
    this.#active = segment;
    return segment;
  }

  /** Writes queued frames, one write and one fsync per run of frames bound for the same segment. */
  async #writeQueued(): Promise<void> {
    while (this.#queue.length > 0) {
      const segment = this.#queue[0]!.segment;
      let count = 1;
      while (count < this.#queue.length && this.#queue[count]!.segment === segment) count++;
      const writes = this.#queue.splice(0, count);
      const finished = () => (segment.unwritten -= writes.length);
      try {
        const handle = await segment.handle!;
        const data = writes.length === 1 ? writes[0]!.frame : Buffer.concat(writes.map((w) => w.frame));
        await handle.write(data, 0, data.length, writes[0]!.offset);
        if (this.#options.fsync) await handle.datasync();
        finished();
        for (const write of writes) write.resolve();
        // A segment that is no longer appended to needs no open descriptor.
        if (segment !== this.#active && segment.unwritten === 0) await this.#closeWriter(segment);
      } catch (error) {
        finished();
        // What follows in this file may sit after a hole: start a new segment for later appends.
        if (this.#active === segment) this.#active = undefined;
        for (const write of writes) write.reject(error);
      }
    }
    this.#writing = undefined;
  }

  #recover(): void {
    const { directory } = this.#options;
    mkdirSync(directory, { recursive: true });
    const ids = readdirSync(directory)
      .map((name) => SEGMENT_FILE.exec(name)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const id of ids) {
      const path = join(directory, `${String(id).padStart(12, '0')}.log`);
      this.#nextId = Math.max(this.#nextId, id + 1);
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch {
        // Unreadable (permissions, I/O error): skipped and reported, never a reason not to start.
        this.#options.onDamage?.({ file: path, corrupt: 1, truncated: false });
        continue;
      }
      const scan = scanFrames(bytes);
      if (scan.corrupt > 0 || scan.truncated) this.#options.onDamage?.({ file: path, corrupt: scan.corrupt, truncated: scan.truncated });
      const acked = readAcks(ackPath(path));
      const left = scan.frames.filter((frame) => !acked.has(frame.offset));
      const segment: Segment = { id, path, bytes: bytes.length, live: left.length, unwritten: 0 };
      if (left.length === 0) {
        removeFiles(path);
        continue;
      }
      this.#segments.set(id, segment);
      this.#bytes += bytes.length;
      for (const frame of left) this.recovered.push({ segment: id, offset: frame.offset, size: frame.size });
    }
    // Acks files whose segment is gone (deleted between the two unlinks).
    for (const name of readdirSync(directory)) {
      const match = /^(\d{12})\.log\.acks$/.exec(name);
      if (match && !this.#segments.has(Number(match[1]))) rmSync(join(directory, name), { force: true });
    }
  }

  #delete(segment: Segment): void {
    this.#segments.delete(segment.id);
    this.#bytes -= segment.bytes;
    if (this.#active === segment) this.#active = undefined;
    const deleted = this.#closeFiles(segment)
      .finally(() => removeFiles(segment.path))
      .catch(() => {}) // a file left behind is read again at the next open: sent again, at-least-once
      .finally(() => this.#deleting.delete(deleted));
    this.#deleting.add(deleted);
  }

  async #closeWriter(segment: Segment): Promise<void> {
    const handle = segment.handle;
    segment.handle = undefined;
    await handle?.then((h) => h.close()).catch(() => {});
  }

  async #closeFiles(segment: Segment): Promise<void> {
    await this.#closeWriter(segment);
    if (segment.acksFd !== undefined) {
      try {
        closeSync(segment.acksFd);
      } catch {
        // already closed
      }
      segment.acksFd = undefined;
    }
  }
}

function ackPath(segmentPath: string): string {
  return `${segmentPath}.acks`;
}

/** Offsets released in an earlier run; a torn or damaged entry is ignored (its record comes back). */
function readAcks(path: string): Set<number> {
  const acked = new Set<number>();
  if (!existsSync(path)) return acked;
  const bytes = readFileSync(path);
  for (let at = 0; at + ACK_BYTES <= bytes.length; at += ACK_BYTES) {
    const offset = bytes.readUInt32BE(at);
    if ((~offset >>> 0) === bytes.readUInt32BE(at + 4)) acked.add(offset);
  }
  return acked;
}

function removeFiles(segmentPath: string): void {
  // The segment first: an acks file without its segment is harmless and swept at the next open.
  rmSync(segmentPath, { force: true });
  rmSync(ackPath(segmentPath), { force: true });
}

function fsyncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
