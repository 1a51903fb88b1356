import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { killTracked, SERVER_DIR, spawnTracked, waitForExit } from './child-processes.ts';
import { productionNodeFlags } from './start-flags.ts';

const MAIN = join(SERVER_DIR, 'dist', 'main.js');
/** Node's flags of the production start (`pnpm start`, and the image's, held equal by a test). */
const NODE_FLAGS = productionNodeFlags();
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 60_000;

/** The production server running as a child process. */
export interface ServerProcess {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  pid: number;
  /** When the process was spawned, and when /health first answered 200 (epoch ms). */
  spawnedAt: number;
  healthyAt: number;
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

/** Between two /health probes during start-up, in ms: the resolution of `healthyAt`. */
const HEALTH_POLL_MS = 50;

/**
 * Settings of every server the bench starts: production mode, as `pnpm start` and the image run
 * it (graphql-js skips its development checks); and the bench is the one client, creating jobs
 * faster and in larger batches than the defaults allow one client. A build that does not know a
 * setting ignores it.
 */
const BENCH_ENV = { NODE_ENV: 'production', MUTATION_RATE_PER_MINUTE: '1000000' };

/** How a server is started. */
export interface StartServerOptions {
  /** Settings added or overridden (e.g. TRANSPORT). */
  env?: Readonly<Record<string, string>>;
  /** Longest wait for /health, in ms (30 s by default; a restart on a million jobs may need more). */
  readyTimeoutMs?: number;
}

async function waitUntilHealthy(url: string, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('server-process: the server exited during start-up (see its log above)');
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
  throw new Error(`server-process: ${url}/health did not answer 200 within ${timeoutMs} ms`);
}

/**
 * Starts `node dist/main.js` with the production start's flags (the build `pnpm --filter @zeitgeber/server build` makes) on the
 * given SQLite file and a free port of 127.0.0.1, and resolves once /health answers. Its logs
 * (level warn) go to the bench's stderr.
 */
export async function startServer(databasePath: string, options: StartServerOptions = {}): Promise<ServerProcess> {
  if (!existsSync(MAIN)) throw new Error(`server-process: ${MAIN} is missing; run pnpm --filter @zeitgeber/server build first`);
  const port = await freePort();
  const spawnedAt = Date.now();
  const child = spawnTracked(process.execPath, [...NODE_FLAGS, MAIN], {
    cwd: SERVER_DIR,
    stdio: ['ignore', 2, 2],
    env: { ...process.env, ...BENCH_ENV, DATABASE_URL: `file:${databasePath}`, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...options.env },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(url, options.readyTimeoutMs ?? READY_TIMEOUT_MS, () => child.exitCode !== null || child.signalCode !== null);
  } catch (error: unknown) {
    killTracked(child);
    throw error;
  }
  const healthyAt = Date.now();
  return {
    url,
    pid: child.pid!,
    spawnedAt,
    healthyAt,
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
