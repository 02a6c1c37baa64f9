import { randomUUID } from 'node:crypto';

/**
 * HubSpot's public API error categories (the `category` field of every error body).
 * Only the ones the sandbox emits are listed.
 */
export type HubSpotErrorCategory =
  | 'VALIDATION_ERROR'
  | 'INVALID_AUTHENTICATION'
  | 'EXPIRED_AUTHENTICATION'
  | 'OBJECT_NOT_FOUND'
  | 'OBJECT_ALREADY_EXISTS'
  | 'CONFLICT'
  | 'RATE_LIMITS'
  | 'INTERNAL_ERROR';

export interface HubSpotErrorDetail {
  message: string;
  code?: string;
  in?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
}

/**
 * An error the sandbox answers with, in HubSpot's shape:
 * `{ status: 'error', message, correlationId, category, subCategory?, errors?, context? }`.
 * Thrown from route handlers; the error middleware (server.ts) is the one place that serialises it.
 */
export class HubSpotApiError extends Error {
  readonly httpStatus: number;
  readonly category: HubSpotErrorCategory;
  readonly subCategory: string | undefined;
  readonly errors: HubSpotErrorDetail[] | undefined;
  readonly context: Record<string, string[]> | undefined;
  constructor(
    httpStatus: number,
    category: HubSpotErrorCategory,
    message: string,
    extra: { subCategory?: string; errors?: HubSpotErrorDetail[]; context?: Record<string, string[]> } = {},
  ) {
    super(message);
    this.name = 'HubSpotApiError';
    this.httpStatus = httpStatus;
    this.category = category;
    this.subCategory = extra.subCategory;
    this.errors = extra.errors;
    this.context = extra.context;
  }

  body(correlationId: string = randomUUID()): Record<string, unknown> {
    return {
      status: 'error',
      message: this.message,
      correlationId,
      category: this.category,
      ...(this.subCategory ? { subCategory: this.subCategory } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.context ? { context: this.context } : {}),
    };
  }
}

export function validationError(message: string, extra: ConstructorParameters<typeof HubSpotApiError>[3] = {}): HubSpotApiError {
  return new HubSpotApiError(400, 'VALIDATION_ERROR', message, extra);
}

export function notFound(message = 'Resource not found'): HubSpotApiError {
  return new HubSpotApiError(404, 'OBJECT_NOT_FOUND', message);
}
