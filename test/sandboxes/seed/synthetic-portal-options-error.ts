import type { z } from 'zod';

/**
 * Options the generator cannot honour. The sandboxes know nothing of the server's error codes: callers that
 * face users (the demo) translate this into their own bad-input error, keeping the message.
 */
export class SyntheticPortalOptionsError extends Error {
  readonly issues: z.core.$ZodIssue[];
  constructor(message: string, issues: z.core.$ZodIssue[]) {
    super(message);
    this.name = 'SyntheticPortalOptionsError';
    this.issues = issues;
  }
}
