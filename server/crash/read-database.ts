import BetterSqlite3 from 'better-sqlite3';
import type { DatabaseFacts } from './verify.ts';

/**
 * Reads what the verification needs from the database file of a stopped server, opened
 * read-only: the jobs and their durable cursors, the Skip ranges, every execution's outcome and
 * the integrity check. Instants are stored as integer ms (Prisma's adapter runs with
 * timestampFormat 'unixepoch-ms'), so they are read as they are.
 */
export function readDatabaseFacts(path: string): DatabaseFacts {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const jobs = db.prepare(`SELECT "id", "createdAt", "cursorAt" FROM "Job"`).all() as DatabaseFacts['jobs'];
    const skips = db.prepare(`SELECT "jobId", "fromAt", "toAt", "reason" FROM "Skip"`).all() as DatabaseFacts['skips'];
    const executions = db.prepare(`SELECT "jobId", "scheduledAt", "outcome", "error" FROM "Execution"`).all() as DatabaseFacts['executions'];
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check).join('; ');
    return { jobs, skips, executions, integrity };
  } finally {
    db.close();
  }
}
