import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../../test/helpers.ts';
import { DEFAULT_MIGRATIONS_DIR, MigrationError, migrate } from './migrator.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDb() {
  const database = createTempDatabase();
  const db = new BetterSqlite3(database.path);
  cleanups.push(() => {
    db.close();
    database.remove();
  });
  return { db, dir: database.path.replace(/zeitgeber\.db$/, '') };
}

const tables = (db: BetterSqlite3.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);

describe('migrate', () => {
  it('gives a fresh file the whole schema and records each migration as Prisma does', () => {
    const { db } = tempDb();
    const report = migrate(db);
    expect(report.applied.length).toBeGreaterThan(0);
    expect(tables(db)).toEqual(expect.arrayContaining(['AlertDelivery', 'Execution', 'Job', 'Skip', '_prisma_migrations']));
    const rows = db.prepare('SELECT migration_name, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name').all();
    expect(rows).toHaveLength(report.applied.length);
    expect(rows.every((row: any) => row.finished_at !== null && row.applied_steps_count === 1)).toBe(true);
  });

  it('leaves an up-to-date database alone', () => {
    const { db } = tempDb();
    const first = migrate(db);
    const before = db.prepare('SELECT * FROM _prisma_migrations ORDER BY migration_name').all();
    const second = migrate(db);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
    expect(db.prepare('SELECT * FROM _prisma_migrations ORDER BY migration_name').all()).toEqual(before);
  });

  it('stops on a failing migration with the reason and changes nothing', () => {
    const { db, dir } = tempDb();
    const migrations = join(dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS_DIR, migrations, { recursive: true });
    migrate(db, migrations);
    const schemaBefore = db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
    mkdirSync(join(migrations, '29990101000000_broken'));
    writeFileSync(
      join(migrations, '29990101000000_broken', 'migration.sql'),
      'CREATE TABLE "Half" ("id" INTEGER);\nALTER TABLE "Job" ADD COLUMN "x" INTEGER;\nALTER TABLE "Nope" ADD COLUMN "y" INTEGER;\n',
    );
    expect(() => migrate(db, migrations)).toThrowError(MigrationError);
    expect(() => migrate(db, migrations)).toThrowError(/29990101000000_broken failed and was rolled back: no such table: Nope/);
    expect(db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schemaBefore);
    expect(db.prepare("SELECT count(*) AS n FROM _prisma_migrations WHERE migration_name LIKE '%broken'").get()).toEqual({ n: 0 });
  });

  it('refuses a migration edited after it was applied', () => {
    const { db, dir } = tempDb();
    const migrations = join(dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS_DIR, migrations, { recursive: true });
    migrate(db, migrations);
    const [first] = (db.prepare('SELECT migration_name AS name FROM _prisma_migrations ORDER BY migration_name').all() as Array<{ name: string }>);
    writeFileSync(join(migrations, first!.name, 'migration.sql'), '-- edited\n', { flag: 'a' });
    expect(() => migrate(db, migrations)).toThrowError(/was changed after it was applied/);
  });
});
