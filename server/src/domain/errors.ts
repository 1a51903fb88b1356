/**
 * Expected errors: each names what is wrong and how to fix it, and is mapped once at the
 * boundary (a GraphQL error code, an HTTP status). Anything else is a bug: logged and masked.
 */
export abstract class ZeitgeberError extends Error {
  abstract readonly code: 'VALIDATION' | 'NOT_FOUND' | 'UNAVAILABLE' | 'LIMIT';
}

/** Input that breaks a rule; `field` names the offending input field. */
export class ValidationError extends ZeitgeberError {
  readonly code = 'VALIDATION' as const;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** A schedule expression or timezone that cannot be used. */
export class InvalidScheduleError extends ValidationError {
  constructor(field: 'schedule' | 'timezone', message: string) {
    super(field, message);
    this.name = 'InvalidScheduleError';
  }
}

export class JobNotFoundError extends ZeitgeberError {
  readonly code = 'NOT_FOUND' as const;
  constructor(readonly jobId: string) {
    super('Job not found');
    this.name = 'JobNotFoundError';
  }
}

/** The database cannot serve the request now (locked, read-only, full, gone); the request changed nothing. */
export class StoreUnavailableError extends ZeitgeberError {
  readonly code = 'UNAVAILABLE' as const;
  constructor(reason: string, options?: { cause: unknown }) {
    super(`the database is unavailable (${reason}); nothing was changed, try again`, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A bounded resource is full (e.g. live subscriptions); the request changed nothing. */
export class LimitError extends ZeitgeberError {
  readonly code = 'LIMIT' as const;
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}
