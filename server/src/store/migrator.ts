import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';

/** prisma/migrations at the top of the repository, from both src/store and dist/store. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

export class MigrationError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(`migration: ${message}`, options);
    this.name = 'MigrationError';
  }
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Prisma's own bookkeeping table, so a database migrated here is recognised by
 * `prisma migrate deploy` wherever Prisma's schema engine can run, and the other way round.
 */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`folder ${dir} does not exist`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Brings the database to the schema of `dir` (Prisma's layout: `<timestamp>_<name>/migration.sql`).
 *
 * Each pending migration runs in its own transaction together with its bookkeeping row, so a
 * failing one leaves the database exactly as it was and stops the start with the reason. A
 * migration that was edited after it was applied, or one applied here that this build does not
 * know, is refused rather than guessed at.
 */
export function migrate(db: Database, dir: string = DEFAULT_MIGRATIONS_DIR): MigrationReport {
  const migrations = readMigrations(dir);
  db.exec(CREATE_MIGRATIONS_TABLE);
  const rows = db
    .prepare('SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')
    .all() as Array<{ name: string; checksum: string }>;
  const applied = new Map(rows.map((row) => [row.name, row.checksum]));
  const known = new Set(migrations.map((migration) => migration.name));
  for (const name of applied.keys()) {
    if (!known.has(name)) {
      throw new MigrationError(`the database has migration ${name}, which this build does not know; it was written by a newer version`);
    }
  }
  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  const record = db.prepare(
    'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)',
  );
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new MigrationError(`${migration.name} was changed after it was applied (checksum differs); restore the original file`);
      }
      report.alreadyApplied++;
      continue;
    }
    const startedAt = new Date().toISOString();
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        record.run(randomUUID(), migration.checksum, new Date().toISOString(), migration.name, startedAt);
      })();
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`${migration.name} failed and was rolled back: ${reason}`, { cause: error });
    }
    report.applied.push(migration.name);
  }
  return report;
}
