import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.ts';
import { migrate, DEFAULT_MIGRATIONS_DIR, type MigrationReport } from './migrator.ts';

export interface OpenedDatabase {
  /** Prisma, for everything but the execution log. */
  prisma: PrismaClient;
  /** A direct better-sqlite3 connection on the same file, for the batched execution writer. */
  sqlite: Database;
  path: string;
  migration: MigrationReport;
  /**
   * Sets SQLite's automatic checkpoint threshold, in WAL pages (0: never), on both connections of
   * the engine's thread: the driver's and Prisma's. While the writer's thread checkpoints, neither
   * copies the WAL into the file in the middle of a commit on the engine's thread.
   */
  setAutocheckpoint(pages: number): Promise<void>;
  close(): Promise<void>;
}

/** Turns `file:./data/x.db` (or a plain path) into an absolute file path. */
export function sqlitePathFromUrl(url: string): string {
  return resolve(url.replace(/^file:/, ''));
}

/**
 * Opens the SQLite file (`busyTimeoutMs`: how long a call waits for another connection's write
 * lock before failing) (creating its folder), switches it to WAL, applies pending migrations and
 * connects Prisma to it. A failed migration throws before Prisma connects.
 */
export function openDatabase(url: string, migrationsDir: string = DEFAULT_MIGRATIONS_DIR, busyTimeoutMs = 5_000): OpenedDatabase {
  const path = sqlitePathFromUrl(url);
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  let migration: MigrationReport;
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    migration = migrate(sqlite, migrationsDir);
  } catch (error: unknown) {
    sqlite.close();
    throw error;
  }
  const adapter = new PrismaBetterSqlite3({ url: path, timeout: busyTimeoutMs }, { timestampFormat: 'unixepoch-ms' });
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    sqlite,
    path,
    migration,
    async setAutocheckpoint(pages) {
      if (!Number.isInteger(pages) || pages < 0) throw new RangeError(`wal_autocheckpoint must be a whole number of pages, got ${pages}`);
      sqlite.pragma(`wal_autocheckpoint = ${pages}`);
      await prisma.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${pages}`);
    },
    async close() {
      await prisma.$disconnect();
      sqlite.close();
    },
  };
}
