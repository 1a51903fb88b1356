import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Arrival } from './analyse.ts';
import { readArrivals } from './arrival-file.ts';
import { killTracked, nextMessage, spawnBenchChild, waitForExit } from './child-processes.ts';

const START_TIMEOUT_MS = 30_000;
const REPORT_TIMEOUT_MS = 60_000;

/** A running target child (see target.ts). */
export interface TargetProcess {
  /** The URL jobs call, on 127.0.0.1. */
  url: string;
  pid: number;
  /** Asks the target for every arrival it recorded, then stops it. */
  collect(dir: string): Promise<Arrival[]>;
  /** Stops the target at once (idempotent). */
  kill(): void;
}

/** Starts the target in its own process and waits until it listens. */
export async function startTarget(): Promise<TargetProcess> {
  const child: ChildProcess = spawnBenchChild(new URL('./target.ts', import.meta.url).pathname);
  try {
    const { port } = await nextMessage<{ type: 'listening'; port: number }>(child, 'listening', START_TIMEOUT_MS, 'target');
    return {
      url: `http://127.0.0.1:${port}/hook`,
      pid: child.pid!,
      async collect(dir) {
        const file = join(dir, `arrivals-${child.pid}.tsv`);
        const reported = nextMessage<{ type: 'reported'; count: number }>(child, 'reported', REPORT_TIMEOUT_MS, 'target');
        child.send({ type: 'report', file });
        await reported;
        child.disconnect();
        await waitForExit(child, 10_000, 'target').catch(() => killTracked(child));
        return readArrivals(file);
      },
      kill: () => killTracked(child),
    };
  } catch (error: unknown) {
    killTracked(child);
    throw error;
  }
}
