// Seeded mutations for fuzzing the OTLP receiver: byte-level ones for protobuf (and any body),
// structure-aware ones for OTLP/JSON. Everything draws from one Random, so a seed replays a run.

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

// Values that sit on boundaries of varints, lengths and signed/unsigned ranges.
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x1a, 0x22, 0x08];
const INTERESTING_VARINTS = [0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 0x7fffffff, 0xffffffff, 2 ** 35, Number.MAX_SAFE_INTEGER];

function varint(value: number): Buffer {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Buffer.from(out);
}

type ByteMutation = (body: Buffer, random: Random, other: Buffer) => Buffer;

const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  bitFlip(body, random) {
    const out = Buffer.from(body);
    for (let flips = 1 + random.int(4); flips > 0 && out.length > 0; flips--) out[random.int(out.length)]! ^= 1 << random.int(8);
    return out;
  },
  interestingByte(body, random) {
    const out = Buffer.from(body);
    if (out.length > 0) out[random.int(out.length)] = random.pick(INTERESTING_BYTES);
    return out;
  },
  insertBytes(body, random) {
    const at = random.int(body.length + 1);
    return Buffer.concat([body.subarray(0, at), random.bytes(1 + random.int(16)), body.subarray(at)]);
  },
  deleteRange(body, random) {
    const at = random.int(body.length + 1);
    return Buffer.concat([body.subarray(0, at), body.subarray(at + 1 + random.int(32))]);
  },
  duplicateRange(body, random) {
    const start = random.int(body.length + 1);
    const end = Math.min(body.length, start + 1 + random.int(256));
    const copies = Array.from({ length: 1 + random.int(random.chance(0.1) ? 2000 : 8) }, () => body.subarray(start, end));
    return Buffer.concat([body.subarray(0, end), ...copies, body.subarray(end)]);
  },
  truncate(body, random) {
    return body.subarray(0, random.int(body.length + 1));
  },
  splice(body, random, other) {
    const at = random.int(body.length + 1);
    const from = random.int(other.length + 1);
    return Buffer.concat([body.subarray(0, at), other.subarray(from)]);
  },
  /** Overwrites a spot with a varint: where a length or tag sat, it now claims something else. */
  corruptVarint(body, random) {
    const at = random.int(body.length + 1);
    const value = varint(random.pick(INTERESTING_VARINTS));
    return Buffer.concat([body.subarray(0, at), value, body.subarray(Math.min(body.length, at + (random.chance(0.5) ? value.length : 0)))]);
  },
  /** Wraps a range in a fresh length-delimited field, nesting messages one level deeper. */
  wrapField(body, random) {
    const start = random.int(body.length + 1);
    const end = start + random.int(body.length - start + 1);
    const field = Buffer.from([((1 + random.int(15)) << 3) | 2]);
    return Buffer.concat([body.subarray(0, start), field, varint(end - start), body.subarray(start, end), body.subarray(end)]);
  },
};

/** One to four byte mutations of `body`; `other` is another seed to splice from. */
export function mutateBytes(body: Buffer, random: Random, other: Buffer): { body: Buffer; steps: string[] } {
  const names = Object.keys(BYTE_MUTATIONS);
  const steps: string[] = [];
  let out = body;
  for (let count = 1 + random.int(4); count > 0; count--) {
    const name = random.pick(names);
    steps.push(name);
    out = BYTE_MUTATIONS[name]!(out, random, other);
  }
  return { body: out, steps };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Slot = [Json[] | { [key: string]: Json }, string | number];

/** Every [container, key] pair of a JSON tree, to pick a spot to change (iterative: trees get deep). */
function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) node.forEach((child, i) => (out.push([node, i]), stack.push(child)));
    else if (node !== null && typeof node === 'object') for (const [key, child] of Object.entries(node)) out.push([node, key]), stack.push(child);
  }
  return out;
}

const HUGE_NUMBERS: Json[] = [1e308, -1e308, 2 ** 64, -(2 ** 63) - 1, 1.5, -1, 0, '18446744073709551616', '-9223372036854775809', '1e400', 'NaN', ''];
const BAD_IDS: Json[] = ['', 'zz', '5b8efff7', '5B8EFFF798038103D269B633813FC60C00', '0'.repeat(32), 'g'.repeat(32), '5b8efff798038103d269b633813fc60', 'W4zv95gDgQPSabYzgT/GDA==', 12345];
const STRANGE_STRINGS: Json[] = ['\ud800', '\udfff\ud800', '😀'.repeat(50), '\u0000', '\u202eevil', 'é'.repeat(1000), 'x'.repeat(100_000), '{"nested":"json"}', '__proto__', 'constructor'];

const DEEP_MARKER = /"DEEP~(array|kvlist|plain)~(\d+)~DEEP"/g;

/**
 * JSON text of a value nesting `depth` levels, built as text: deep trees overflow the stack of
 * JSON.stringify and structuredClone in the fuzzer itself. Put in place of DEEP_MARKER strings.
 */
function deepValueText(depth: number, kind: 'array' | 'kvlist' | 'plain'): string {
  const leaf = '{"stringValue":"leaf"}';
  if (kind === 'array') return `${'{"arrayValue":{"values":['.repeat(depth)}${leaf}${']}}'.repeat(depth)}`;
  if (kind === 'kvlist') return `${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(depth)}${leaf}${'}]}}'.repeat(depth)}`;
  return `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
}

const MAX_JSON_BYTES = 24 * 1024 * 1024;

type JsonMutation = (root: Json, random: Random) => void;

/** Structure-aware changes to a parsed OTLP/JSON body (in place). */
const JSON_MUTATIONS: Record<string, JsonMutation> = {
  typeSwap(root, random) {
    const all = slots(root);
    if (all.length === 0) return;
    const [holder, key] = random.pick(all);
    (holder as Record<string | number, Json>)[key] = random.pick<Json>([null, true, 0, '', [], {}, 'str', -1, [1, 2], { a: 1 }]);
  },
  hugeNumber(root, random) {
    const all = slots(root);
    if (all.length === 0) return;
    const [holder, key] = random.pick(all);
    (holder as Record<string | number, Json>)[key] = random.pick(HUGE_NUMBERS);
  },
  badId(root, random) {
    const ids = slots(root).filter(([, key]) => key === 'traceId' || key === 'spanId' || key === 'parentSpanId');
    if (ids.length === 0) return;
    const [holder, key] = random.pick(ids);
    (holder as Record<string | number, Json>)[key] = random.pick(BAD_IDS);
  },
  strangeString(root, random) {
    const strings = slots(root).filter(([holder, key]) => typeof (holder as Record<string | number, Json>)[key] === 'string');
    if (strings.length === 0) return;
    const [holder, key] = random.pick(strings);
    (holder as Record<string | number, Json>)[key] = random.pick(STRANGE_STRINGS);
  },
  deepNesting(root, random) {
    const values = slots(root).filter(([, key]) => key === 'value' || key === 'body');
    const depth = random.pick([5, 17, 40, 200, 5000]);
    const kind = random.pick(['array', 'kvlist', 'plain'] as const);
    const marker = `DEEP~${kind}~${depth}~DEEP`;
    if (values.length > 0) {
      const [holder, key] = random.pick(values);
      (holder as Record<string | number, Json>)[key] = marker;
    } else if (root !== null && typeof root === 'object' && !Array.isArray(root)) {
      root.deep = marker;
    }
  },
  hugeArray(root, random) {
    const arrays = slots(root).filter(([holder, key]) => Array.isArray((holder as Record<string | number, Json>)[key]));
    if (arrays.length === 0) return;
    const [holder, key] = random.pick(arrays);
    const array = (holder as Record<string | number, Json>)[key] as Json[];
    if (array.length === 0) return;
    const element = array[random.int(array.length)]!;
    // Up to a little past the receiver's 20 MiB body limit, and never past what the fuzzer can hold.
    const copies = Math.min(random.pick([2, 100, 2000, 20_000]), Math.floor(MAX_JSON_BYTES / (JSON.stringify(element).length + 1)));
    (holder as Record<string | number, Json>)[key] = Array.from({ length: copies }, () => structuredClone(element));
  },
  manyAttributes(root, random) {
    const lists = slots(root).filter(([, key]) => key === 'attributes');
    if (lists.length === 0) return;
    const [holder, key] = random.pick(lists);
    const count = random.pick([300, 3000]);
    (holder as Record<string | number, Json>)[key] = Array.from({ length: count }, (_, i) => ({ key: `attr.${i}`, value: { stringValue: 'v'.repeat(random.int(100)) } }));
  },
  removeKey(root, random) {
    const keyed = slots(root).filter(([holder]) => !Array.isArray(holder));
    if (keyed.length === 0) return;
    const [holder, key] = random.pick(keyed);
    delete (holder as Record<string, Json>)[key as string];
  },
};

/** Text-level changes JSON.stringify cannot make: duplicate keys, broken syntax. */
function mutateJsonText(text: string, random: Random): string {
  switch (random.int(3)) {
    case 0: {
      // A duplicate key: the last one wins in JSON.parse, so an id can be swapped behind a valid one.
      const at = text.indexOf('"traceId"');
      if (at < 0) return text;
      return `${text.slice(0, at)}"traceId":${JSON.stringify(random.pick(BAD_IDS))},${text.slice(at)}`;
    }
    case 1:
      return text.slice(0, random.int(text.length + 1));
    default: {
      const at = random.int(text.length + 1);
      return `${text.slice(0, at)}${random.pick(['{', '}', '[', ']', ',', ':', '"', '\\', 'null', '1e999'])}${text.slice(at)}`;
    }
  }
}

/** One to three structure-aware JSON mutations, sometimes followed by a text-level one. */
export function mutateJson(text: string, random: Random): { body: Buffer; steps: string[] } {
  const root = JSON.parse(text) as Json;
  const names = Object.keys(JSON_MUTATIONS);
  const steps: string[] = [];
  for (let count = 1 + random.int(3); count > 0; count--) {
    const name = random.pick(names);
    steps.push(name);
    JSON_MUTATIONS[name]!(root, random);
  }
  // Only the first deep value is expanded in full: copies of it (hugeArray) would not fit in a string.
  let expanded = 0;
  let out = JSON.stringify(root).replace(DEEP_MARKER, (_, kind: 'array' | 'kvlist' | 'plain', depth: string) =>
    deepValueText(expanded++ === 0 ? Number(depth) : Math.min(5, Number(depth)), kind),
  );
  if (random.chance(0.3)) {
    steps.push('text');
    out = mutateJsonText(out, random);
  }
  return { body: Buffer.from(out), steps };
}
