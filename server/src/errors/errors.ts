/**
 * Typed errors with stable codes. HTTP status and CLI exit codes are decided in one place each
 * (http/error-handler.ts, cli/main.ts) from these codes, never at the throw site.
 */
export type ErrorCode =
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'CONFIG'
  | 'STORE_UNREACHABLE'
  | 'UPSTREAM'
  | 'RATE_LIMITED'
  | 'INTERNAL';

export class ClosewiseError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export class BadInputError extends ClosewiseError {
  constructor(message: string, details?: unknown) {
    super('BAD_INPUT', message, details);
  }
}

export class NotFoundError extends ClosewiseError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class UnauthorizedError extends ClosewiseError {
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}

export class ConfigError extends ClosewiseError {
  constructor(message: string) {
    super('CONFIG', message);
  }
}

export class StoreUnreachableError extends ClosewiseError {
  constructor(message: string) {
    super('STORE_UNREACHABLE', message);
  }
}

export class UpstreamError extends ClosewiseError {
  constructor(message: string, details?: unknown) {
    super('UPSTREAM', message, details);
  }
}
