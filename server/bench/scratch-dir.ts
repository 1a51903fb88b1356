import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();

process.once('exit', () => {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh temporary folder for one run (database, arrival files). It is removed by
 * {@link removeScratchDir}, or when the bench exits in any way.
 */
export function createScratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zeitgeber-bench-'));
  live.add(dir);
  return dir;
}

/** Removes a folder made by {@link createScratchDir}. */
export function removeScratchDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}
