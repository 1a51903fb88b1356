import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'vitest';

/** A job's stored outcomes: its executions and its skipped ranges, by scheduled instant. */
export interface Recorded {
  executions: Array<{ scheduledAt: number; trigger: string }>;
  skips: Array<{ fromAt: number; toAt: number; count: number; reason: string }>;
}

/** Reads a job's executions and skips straight from the database file. */
export function recordedFor(path: string, jobId: string): Recorded {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return {
      executions: db.prepare('SELECT "scheduledAt", "trigger" FROM "Execution" WHERE "jobId" = ? ORDER BY "scheduledAt"').all(jobId) as Recorded['executions'],
      skips: db.prepare('SELECT "fromAt", "toAt", "count", "reason" FROM "Skip" WHERE "jobId" = ? ORDER BY "fromAt"').all(jobId) as Recorded['skips'],
    };
  } finally {
    db.close();
  }
}

/** Every occurrence of a once-a-second job from the first recorded to the last: each has exactly one outcome. */
export function expectEachSecondOnce({ executions, skips }: Recorded): void {
  const all = [...executions.map((row) => row.scheduledAt), ...skips.flatMap((skip) => Array.from({ length: skip.count }, (_, i) => skip.fromAt + i * 1_000))];
  all.sort((a, b) => a - b);
  expect(new Set(all).size).toBe(all.length);
  for (let i = 1; i < all.length; i++) expect(all[i]! - all[i - 1]!).toBe(1_000);
}
