import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { windowEnd, type MeasurementWindow } from './analyse.ts';
import { sleepUntil } from './sleep-until.ts';

/** Kernel clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU seconds (user + system) a live process has used so far, from /proc/<pid>/stat. Its own
 * threads are included (libuv's pool, SQLite, V8's GC); its children are not.
 */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS;
}

function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  if (!match) throw new Error(`proc-stats: no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * 1_024;
}

/** Peak resident set size of a live process (VmHWM), in bytes. */
export function peakRssBytes(pid: number): number {
  return statusBytes(pid, 'VmHWM');
}

/** Resident set size of a live process now (VmRSS), in bytes. */
export function rssBytes(pid: number): number {
  return statusBytes(pid, 'VmRSS');
}

/** How far before each second of the window the CPU is read, so that each read falls between two rounds of fires. */
const SAMPLE_OFFSET_MS = 500;

/**
 * CPU seconds a live process uses over a window: read half a second before its first second and
 * half a second before its end, so it covers exactly the window's rounds of fires.
 */
export async function windowCpuSeconds(pid: number, window: MeasurementWindow): Promise<number> {
  await sleepUntil(window.startMs - SAMPLE_OFFSET_MS);
  const before = cpuSeconds(pid);
  await sleepUntil(windowEnd(window) - SAMPLE_OFFSET_MS);
  return cpuSeconds(pid) - before;
}
