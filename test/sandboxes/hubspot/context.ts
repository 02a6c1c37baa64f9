import type { Response } from 'express';
import type { Portal } from './portal.ts';
import type { RecordChange, WriteSource } from './records.ts';

/** What every route needs: the portal, and where to report changes (webhooks). */
export interface SandboxContext {
  portal: Portal;
  onChanges(changes: RecordChange[]): void;
}

/** The authenticated caller, set by the auth middleware. */
export interface Caller {
  portalId: number;
  appId: string;
  source: WriteSource;
  /** Which limits apply: a private app's (per tier, with a daily quota) or a marketplace app's. */
  tokenKind: 'private_app' | 'oauth';
  /** Granted scopes of an OAuth token; undefined for private-app tokens (not scope-checked). */
  scopes?: string[];
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new Error('route reached without authentication');
  return caller;
}
