import { randomUUID } from 'node:crypto';
import { analyseDelivery, measurementWindow, windowEnd } from './analyse.ts';
import { killTracked, nextMessage, spawnBenchChild } from './child-processes.ts';
import { peakRssBytes, windowCpuSeconds } from './proc-stats.ts';
import type { ReferenceDone, ReferenceStart } from './reference.ts';
import type { RunResult } from './run-result.ts';
import { createScratchDir, removeScratchDir } from './scratch-dir.ts';
import { startTarget, type TargetProcess } from './target-process.ts';

/** Seconds fired before the window, so that the pool's connections are open when it starts. */
const WARM_UP_SECONDS = 2;
/** Longest wait for the last responses after the window, in ms. */
const DRAIN_TIMEOUT_MS = 60_000;

export interface ReferenceRunOptions {
  jobs: number;
  seconds: number;
  repeat: number;
  connections: number;
}

/**
 * One run of the bare reference loop (reference.ts) against a target of its own, over a window
 * of the same length as Zeitgeber's, after a short warm-up.
 */
export async function runReference(options: ReferenceRunOptions): Promise<RunResult> {
  const dir = createScratchDir();
  let target: TargetProcess | undefined;
  const child = spawnBenchChild(new URL('./reference.ts', import.meta.url).pathname);
  try {
    await nextMessage(child, 'ready', 30_000, 'reference');
    target = await startTarget();
    const jobIds = Array.from({ length: options.jobs }, () => randomUUID());
    const window = measurementWindow(Date.now(), options.seconds, (WARM_UP_SECONDS + 1) * 1_000);
    const start: ReferenceStart = {
      type: 'start',
      url: target.url,
      jobIds,
      fromMs: window.startMs - WARM_UP_SECONDS * 1_000,
      toMs: windowEnd(window),
      connections: options.connections,
    };
    const done = nextMessage<ReferenceDone>(child, 'done', windowEnd(window) - Date.now() + DRAIN_TIMEOUT_MS, 'reference');
    child.send(start);
    const [cpuSeconds, targetCpuSeconds, { failed }] = await Promise.all([windowCpuSeconds(child.pid!, window), windowCpuSeconds(target.pid, window), done]);
    if (failed > 0) console.error(`reference: ${failed} requests failed`);
    const peakRss = peakRssBytes(child.pid!);
    killTracked(child);
    const arrivals = await target.collect(dir);
    return {
      scenario: 'reference',
      variant: 'reference',
      jobs: options.jobs,
      repeat: options.repeat,
      window,
      delivery: analyseDelivery(arrivals, jobIds, window),
      createdPerSecond: null,
      persisted: null,
      cpuSeconds,
      targetCpuSeconds,
      sideLoadCpuSeconds: null,
      peakRssBytes: peakRss,
    };
  } finally {
    killTracked(child);
    target?.kill();
    removeScratchDir(dir);
  }
}
