import { crc32 } from 'node:zlib';

// Every record on disk: magic, payload length, CRC-32 of length and payload, payload. The magic
// lets a reader find the next record after damage; the checksum catches torn writes and bit flips.
const MAGIC = 0x53_54_43_51; // "STCQ"
export const FRAME_HEADER_BYTES = 12;

export function encodeFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(MAGIC, 0);
  frame.writeUInt32BE(payload.length, 4);
  frame.writeUInt32BE(checksum(frame.subarray(4, 8), payload), 8);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

function checksum(lengthBytes: Uint8Array, payload: Uint8Array): number {
  return crc32(payload, crc32(lengthBytes));
}

/** The payload of the frame at `offset` of `bytes`, or why there is no valid frame there. */
export function frameAt(bytes: Uint8Array, offset: number): { payload: Uint8Array; end: number } | 'truncated' | 'corrupt' {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.length - offset < FRAME_HEADER_BYTES) return 'truncated';
  if (view.readUInt32BE(offset) !== MAGIC) return 'corrupt';
  const length = view.readUInt32BE(offset + 4);
  const end = offset + FRAME_HEADER_BYTES + length;
  if (end > view.length) return 'truncated';
  const payload = view.subarray(offset + FRAME_HEADER_BYTES, end);
  if (checksum(view.subarray(offset + 4, offset + 8), payload) !== view.readUInt32BE(offset + 8)) return 'corrupt';
  return { payload, end };
}

export interface ScannedFrame {
  offset: number;
  size: number;
}

export interface ScanResult {
  frames: ScannedFrame[];
  /** Damaged stretches skipped between valid frames (each counted once). */
  corrupt: number;
  /** A torn record at the end (a write cut short by a crash). */
  truncated: boolean;
}

/**
 * Every valid frame of a segment file. After damage, the scan looks for the next position where
 * a whole valid frame starts, so one bad record costs only itself.
 */
export function scanFrames(bytes: Uint8Array): ScanResult {
  const frames: ScannedFrame[] = [];
  let corrupt = 0;
  let truncated = false;
  let offset = 0;
  while (offset < bytes.length) {
    const found = frameAt(bytes, offset);
    if (typeof found === 'object') {
      frames.push({ offset, size: found.end - offset - FRAME_HEADER_BYTES });
      offset = found.end;
      continue;
    }
    const next = nextValidFrame(bytes, offset + 1);
    if (next === undefined) {
      // Nothing valid follows: a write cut short at the end, or garbage to the end of the file.
      if (found === 'truncated') truncated = true;
      else corrupt++;
      break;
    }
    corrupt++;
    offset = next;
  }
  return { frames, corrupt, truncated };
}

function nextValidFrame(bytes: Uint8Array, from: number): number | undefined {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = Buffer.alloc(4);
  magic.writeUInt32BE(MAGIC, 0);
  for (let at = view.indexOf(magic, from); at !== -1; at = view.indexOf(magic, at + 1)) {
    if (typeof frameAt(view, at) === 'object') return at;
  }
  return undefined;
}
