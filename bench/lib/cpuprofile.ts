import { readFileSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  function: string;
  location: string;
  selfMs: number;
  selfPercent: number;
  /** The caller that accounts for most of this function's self time. */
  mainCaller: string;
}

export interface ProfileSummary {
  file: string;
  /** Milliseconds of samples considered (inside the window, idle excluded). */
  busyMs: number;
  idleMs: number;
  windowed: boolean;
  top: Hotspot[];
  byArea: { area: string; selfMs: number; selfPercent: number }[];
}

/** Where a function lives, coarsely: which package or which part of the repo. */
function areaOf(frame: CallFrame, repoRoot: string): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(program)') return 'V8/native (program)';
    return `native ${functionName || '(anonymous)'}`;
  }
  if (url.startsWith('node:')) {
    const mod = url.slice(5).split('/').slice(0, 2).join('/');
    return `node core (${mod})`;
  }
  const file = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 14).split('/');
    return `npm ${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const rel = path.relative(repoRoot, file);
  const parts = rel.split('/');
  if (parts[0] === 'collector' && parts[1] === 'api') return 'collector/api';
  if (parts[0] === 'collector' && parts[1] === 'src') return `collector/src/${parts[2] === 'receivers' || parts[2] === 'exporters' ? `${parts[2]}/${parts[3]}` : parts[2]}`;
  if (parts[0] === 'processors') return `processors/${parts[1]}`;
  return rel;
}

const sourceCache = new Map<string, string[] | undefined>();

/**
 * tsx hands V8 its transformed code on one line, so TypeScript frames arrive as line 1: find the
 * function's declaration in the source instead (first match; good enough to point at the code).
 */
function tsLine(file: string, functionName: string): number | undefined {
  if (!sourceCache.has(file)) {
    try {
      sourceCache.set(file, readFileSync(file, 'utf8').split('\n'));
    } catch {
      sourceCache.set(file, undefined);
    }
  }
  const lines = sourceCache.get(file);
  const name = functionName.replace(/^get |^set /, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!lines || !name) return undefined;
  const declaration = new RegExp(`(function\\*?\\s+${name}\\b|^\\s*(?:(?:public|private|protected|static|async|get|set|override|readonly)\\s+)*#?${name}\\s*(?:<[^>]*>)?\\(|\\b${name}\\s*[:=]\\s*(?:async\\s*)?(?:function|\\())`);
  const index = lines.findIndex((line) => declaration.test(line));
  return index >= 0 ? index + 1 : undefined;
}

function locationOf(frame: CallFrame, repoRoot: string): string {
  if (!frame.url) return '';
  const file = frame.url.startsWith('file://') ? decodeURIComponent(frame.url.slice(7)) : frame.url;
  const nm = file.lastIndexOf('/node_modules/');
  const shown = nm >= 0 ? file.slice(nm + 14) : file.startsWith('/') ? path.relative(repoRoot, file) : file;
  if (file.endsWith('.ts') && frame.lineNumber === 0) {
    const line = tsLine(file, frame.functionName);
    return line ? `${shown}:${line}` : shown;
  }
  return `${shown}:${frame.lineNumber + 1}`;
}

/**
 * Self time per function from a V8 .cpuprofile, keeping only samples between `fromUs` and `toUs`
 * (the profile's clock is the monotonic clock, in microseconds) when they are given.
 */
export function summariseCpuProfile(file: string, repoRoot: string, window?: { fromUs: number; toUs: number }, topN = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  let inWindow = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample's time is charged by the delta to the next sample.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    inWindow++;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const windowed = window !== undefined && inWindow > 0;
  if (window && !windowed) return summariseCpuProfile(file, repoRoot, undefined, topN);

  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const nameOf = (id: number | undefined) => {
    const frame = id === undefined ? undefined : byId.get(id)?.callFrame;
    return !frame || frame.functionName === '(root)' ? '' : frame.functionName || '(anonymous)';
  };

  const perFunction = new Map<string, Hotspot & { callers: Map<string, number> }>();
  const perArea = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const location = locationOf(frame, repoRoot);
    const key = `${frame.functionName}|${location}`;
    const entry = perFunction.get(key) ?? {
      function: frame.functionName || '(anonymous)',
      location,
      selfMs: 0,
      selfPercent: 0,
      mainCaller: '',
      callers: new Map<string, number>(),
    };
    entry.selfMs += us / 1000;
    const caller = nameOf(parentOf.get(id));
    entry.callers.set(caller, (entry.callers.get(caller) ?? 0) + us);
    perFunction.set(key, entry);
    const area = areaOf(frame, repoRoot);
    perArea.set(area, (perArea.get(area) ?? 0) + us / 1000);
  }
  const busyMs = busyUs / 1000;
  const pct = (ms: number) => Math.round((ms / busyMs) * 1000) / 10;
  const top = [...perFunction.values()]
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, topN)
    .map(({ callers, ...h }) => ({
      ...h,
      selfMs: Math.round(h.selfMs),
      selfPercent: pct(h.selfMs),
      mainCaller: [...callers.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '',
    }));
  const byArea = [...perArea.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([area, ms]) => ({ area, selfMs: Math.round(ms), selfPercent: pct(ms) }));
  return { file, busyMs: Math.round(busyMs), idleMs: Math.round(idleUs / 1000), windowed, top, byArea };
}
