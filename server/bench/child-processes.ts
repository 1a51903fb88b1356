import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The server package folder: children run from here so `tsx` and `dist/` resolve. */
export const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => process.exit(code));
}

/**
 * Spawns a child in a process group of its own and tracks it, so that whatever way the bench
 * ends (normal exit, error, Ctrl-C) the whole group is killed and nothing is left running.
 */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/** Spawns one of the bench's TypeScript children (run with tsx) with an IPC channel. */
export function spawnBenchChild(file: string): ChildProcess {
  return spawnTracked(process.execPath, ['--import', 'tsx', file], {
    cwd: SERVER_DIR,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Kills a tracked child's whole group at once. */
export function killTracked(child: ChildProcess): void {
  killGroup(child, 'SIGKILL');
}

/** Resolves when the child has exited; rejects after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number, what: string): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return withTimeout(
    new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    timeoutMs,
    `${what} did not exit within ${timeoutMs} ms`,
  );
}

/** Resolves with the first IPC message of the given type; rejects if the child exits or time runs out. */
export function nextMessage<T extends { type: string }>(child: ChildProcess, type: T['type'], timeoutMs: number, what: string): Promise<T> {
  const message = new Promise<T>((resolve, reject) => {
    const onMessage = (data: unknown): void => {
      if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== type) return;
      cleanup();
      resolve(data as T);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`${what} exited (code ${code}) before sending "${type}"`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  return withTimeout(message, timeoutMs, `${what} sent no "${type}" within ${timeoutMs} ms`);
}

/** Races a promise against a deadline; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
