import { killTracked, nextMessage, spawnBenchChild } from './child-processes.ts';

const START_TIMEOUT_MS = 30_000;

/** A running floor child (see bare-api-server.ts). */
export interface FloorProcess {
  /** Its base URL, on 127.0.0.1. */
  url: string;
  pid: number;
  /** Stops it (it holds nothing to flush). */
  stop(): Promise<void>;
  /** Kills it at once (idempotent). */
  kill(): void;
}

/** The floor: a bare HTTP server that answers the bench's calls with the least work (bare-api-server.ts). */
export async function startFloor(): Promise<FloorProcess> {
  const child = spawnBenchChild(new URL('./bare-api-server.ts', import.meta.url).pathname);
  try {
    const { port } = await nextMessage<{ type: 'listening'; port: number }>(child, 'listening', START_TIMEOUT_MS, 'bare-api-server');
    return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: async () => killTracked(child), kill: () => killTracked(child) };
  } catch (error: unknown) {
    killTracked(child);
    throw error;
  }
}
