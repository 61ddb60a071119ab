import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | undefined;

/** Kernel clock ticks per second (`getconf CLK_TCK`), the unit of utime/stime in /proc/<pid>/stat. */
export function clkTck(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces; fields after it start at 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  return (utime + stime) / clkTck();
}

/** Resident set size in bytes, from VmRSS in /proc/<pid>/status. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** A CPU-time reading of several processes taken at one instant (monotonic ns). */
export interface CpuSnapshot {
  atNs: bigint;
  cpu: Record<string, number>;
}

export function snapshot(pids: Record<string, number>): CpuSnapshot {
  const cpu: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) cpu[name] = pid === process.pid ? selfCpuSeconds() : cpuSeconds(pid);
  return { atNs: process.hrtime.bigint(), cpu };
}

function selfCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** CPU seconds each process used between two snapshots, and the wall-clock seconds between them. */
export function cpuDelta(from: CpuSnapshot, to: CpuSnapshot): { wallSeconds: number; cpu: Record<string, number> } {
  const cpu: Record<string, number> = {};
  for (const name of Object.keys(to.cpu)) cpu[name] = (to.cpu[name] ?? 0) - (from.cpu[name] ?? 0);
  return { wallSeconds: Number(to.atNs - from.atNs) / 1e9, cpu };
}
