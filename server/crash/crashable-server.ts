import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { killTracked, SERVER_DIR, spawnTracked, waitForExit } from '../bench/child-processes.ts';
import { sleepUntil } from '../bench/sleep-until.ts';

const READY_TIMEOUT_MS = 60_000;
const HEALTH_POLL_MS = 100;
const KILL_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 60_000;

export interface CrashableServerOptions {
  databasePath: string;
  /** Run the build (`dist/main.js`) instead of the sources through tsx. */
  dist: boolean;
  /** The server's stdout and stderr are appended here. */
  logPath: string;
  /** Settings of its own (config.ts), over the environment's. */
  env?: Record<string, string>;
}

/** One life of the server, from its start to a kill or a graceful stop. */
export interface CrashableServer {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  pid: number;
  /** `kill -9` (its whole process group), and waits until it is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful stop that flushes every write); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Kills it at once without waiting (idempotent): for clean-up. */
  abandon(): void;
}

export class ServerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerStartError';
  }
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

function logTail(path: string): string {
  return readFileSync(path, 'utf8').split('\n').slice(-20).join('\n');
}

/** Polls /health until it answers 200; fails as soon as the process exits, or at the deadline. */
async function waitUntilHealthy(url: string, exited: () => boolean, logPath: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new ServerStartError(`crash: the server exited during start-up; its log ends with:\n${logTail(logPath)}`);
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleepUntil(Date.now() + HEALTH_POLL_MS);
  }
  throw new ServerStartError(`crash: ${url}/health did not answer 200 within ${READY_TIMEOUT_MS} ms`);
}

/**
 * Starts the server (`node --import tsx src/main.ts`, or `node dist/main.js`) on the SQLite file
 * and a free port of 127.0.0.1, in a process group of its own, and resolves once /health answers.
 */
export async function startCrashableServer(options: CrashableServerOptions): Promise<CrashableServer> {
  const port = await freePort();
  const args = options.dist ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const out = openSync(options.logPath, 'a');
  const child = (() => {
    try {
      return spawnTracked(process.execPath, args, {
        cwd: SERVER_DIR,
        stdio: ['ignore', out, out],
        env: { ...process.env, DATABASE_URL: `file:${options.databasePath}`, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...options.env },
      });
    } finally {
      closeSync(out);
    }
  })();
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(url, () => child.exitCode !== null || child.signalCode !== null, options.logPath);
  } catch (error: unknown) {
    killTracked(child);
    throw error;
  }
  return {
    url,
    pid: child.pid!,
    async kill() {
      killTracked(child);
      await waitForExit(child, KILL_TIMEOUT_MS, 'killed server');
    },
    async stop() {
      child.kill('SIGTERM');
      return waitForExit(child, STOP_TIMEOUT_MS, 'server').catch((error: unknown) => {
        killTracked(child);
        throw error;
      });
    },
    abandon: () => killTracked(child),
  };
}
