import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { killTracked, SERVER_DIR, spawnTracked, waitForExit } from './child-processes.ts';

const MAIN = join(SERVER_DIR, 'dist', 'main.js');
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 60_000;

/** The production server running as a child process. */
export interface ServerProcess {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  pid: number;
  /** Stops it with SIGTERM (a graceful stop that flushes every write) and waits for the exit. */
  stop(): Promise<void>;
  /** Kills it at once (idempotent): for errors, when a graceful stop is no longer the point. */
  kill(): void;
}

/** Asks the kernel for a port that is free right now on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilHealthy(url: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('server-process: the server exited during start-up (see its log above)');
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server-process: ${url}/health did not answer 200 within ${READY_TIMEOUT_MS} ms`);
}

/**
 * Starts `node dist/main.js` (the build `pnpm --filter @zeitgeber/server build` makes) on the
 * given SQLite file and a free port of 127.0.0.1, and resolves once /health answers. Its logs
 * (level warn) go to the bench's stderr.
 */
export async function startServer(databasePath: string): Promise<ServerProcess> {
  if (!existsSync(MAIN)) throw new Error(`server-process: ${MAIN} is missing; run pnpm --filter @zeitgeber/server build first`);
  const port = await freePort();
  const child = spawnTracked(process.execPath, [MAIN], {
    cwd: SERVER_DIR,
    stdio: ['ignore', 2, 2],
    env: { ...process.env, DATABASE_URL: `file:${databasePath}`, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(url, () => child.exitCode !== null || child.signalCode !== null);
  } catch (error: unknown) {
    killTracked(child);
    throw error;
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      const code = await waitForExit(child, STOP_TIMEOUT_MS, 'server').catch((error: unknown) => {
        killTracked(child);
        throw error;
      });
      if (code !== 0) throw new Error(`server-process: the server exited with code ${code} on SIGTERM`);
    },
    kill: () => killTracked(child),
  };
}
