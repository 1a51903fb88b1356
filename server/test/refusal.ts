import { ValidationError } from '../src/domain/errors.ts';

/** The field and message of the ValidationError `run` throws; fails when it throws none. */
export function refusal(run: () => unknown): { field: string; message: string } {
  try {
    run();
  } catch (error: unknown) {
    if (error instanceof ValidationError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a ValidationError');
}
