import { StoreUnavailableError } from '../domain/errors.ts';

/** SQLite result codes that mean "the database cannot serve this now", not "this request is wrong". */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

function sqliteCode(error: unknown): { code: string; message: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const direct = error as { code?: unknown; message?: unknown };
  if (typeof direct.code === 'string' && direct.code.startsWith('SQLITE_')) {
    return { code: direct.code, message: String(direct.message ?? '') };
  }
  // Prisma wraps driver errors: meta.driverAdapterError.cause.{originalCode, originalMessage}.
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; originalMessage?: unknown } } } }).meta
    ?.driverAdapterError?.cause;
  if (typeof cause?.originalCode === 'string') return { code: cause.originalCode, message: String(cause.originalMessage ?? '') };
  return null;
}

/** Turns a database failure into StoreUnavailableError; any other error is returned as it is. */
export function toStoreError(error: unknown): unknown {
  const sqlite = sqliteCode(error);
  if (sqlite && UNAVAILABLE_CODES.test(sqlite.code)) return new StoreUnavailableError(`${sqlite.code}: ${sqlite.message}`, { cause: error });
  return error;
}

/** Awaits a database call, translating unavailability into StoreUnavailableError. */
export async function guardStore<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error: unknown) {
    throw toStoreError(error);
  }
}

/** Runs a synchronous read on the driver, translating unavailability into StoreUnavailableError. */
export async function guardRead<T>(read: () => T): Promise<T> {
  try {
    return read();
  } catch (error: unknown) {
    throw toStoreError(error);
  }
}
