import { BadInputError, ClosewiseError } from '../errors/errors.ts';

/** A job's payload failed validation: retrying cannot help, so it goes straight to the dead-letter state. */
export class InvalidJobPayloadError extends BadInputError {
  constructor(type: string, reason: string) {
    super(`invalid payload for job '${type}': ${reason}`, { type, reason });
  }
}

/** Another worker holds the portal; the job is retried later rather than run alongside. */
export class PortalBusyError extends ClosewiseError {
  constructor(tenantId: string) {
    super('CONFLICT', `portal ${tenantId} is held by another job; will retry`);
  }
}
