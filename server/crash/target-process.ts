import { killTracked, nextMessage, SERVER_DIR, spawnTracked, waitForExit } from '../bench/child-processes.ts';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** The crash test's target (see target.ts), running in a child process. */
export interface TargetProcess {
  /** The URL jobs call, on 127.0.0.1. */
  url: string;
  /** The file every request is appended to. */
  logPath: string;
  /** Stops the target and waits for its exit: the log is complete afterwards. */
  stop(): Promise<void>;
  /** Kills it at once (idempotent). */
  kill(): void;
}

/** Starts the target in its own process group, logging to `logPath`, and waits until it listens. */
export async function startTarget(logPath: string): Promise<TargetProcess> {
  const child = spawnTracked(process.execPath, ['--import', 'tsx', new URL('./target.ts', import.meta.url).pathname, logPath], {
    cwd: SERVER_DIR,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { port } = await nextMessage<{ type: 'listening'; port: number }>(child, 'listening', START_TIMEOUT_MS, 'crash target');
    return {
      url: `http://127.0.0.1:${port}/hook`,
      logPath,
      async stop() {
        if (child.connected) child.disconnect();
        await waitForExit(child, STOP_TIMEOUT_MS, 'crash target').catch((error: unknown) => {
          killTracked(child);
          throw error;
        });
      },
      kill: () => killTracked(child),
    };
  } catch (error: unknown) {
    killTracked(child);
    throw error;
  }
}
