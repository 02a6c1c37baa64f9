import { createHash, createHmac } from 'node:crypto';
import type { RecordChange } from './records.ts';

export interface WebhookSubscription {
  /**
   * `object.creation` / `object.propertyChange` / `object.deletion` / `object.merge` / `object.associationChange`
   * (2025.2 project apps, events carry objectTypeId) or legacy `contact.creation` etc.; the hub event
   * `contact.privacyDeletion` (GDPR delete).
   */
  subscriptionType: string;
  /** Singular HubSpot name: contact, company, deal, ... (ignored for legacy types, which name it). */
  objectType?: string;
  propertyName?: string;
  active?: boolean;
}

export interface WebhookOptions {
  targetUrl: string;
  /** The app's client secret: the v3 signature key. */
  clientSecret: string;
  appId: string;
  subscriptions: WebhookSubscription[];
  maxConcurrentRequests?: number;
  /** HubSpot batches events; the sandbox waits this long to gather a batch (default 50 ms). */
  batchWindowMs?: number;
  maxEventsPerRequest?: number;
  /** Retries after the first attempt (HubSpot: 10, spread over 24 h; here spaced by retryDelayMs × attempt). */
  maxRetries?: number;
  retryDelayMs?: number;
  /** A delivery slower than this counts as failed (HubSpot: 5 s). */
  timeoutMs?: number;
}

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  /** Absent on association changes, which name both ends instead. */
  objectId?: number;
  objectTypeId?: string;
  propertyName?: string;
  propertyValue?: string;
  changeFlag?: string;
  changeSource: string;
  sourceId?: string;
  isSensitive?: boolean;
  primaryObjectId?: number;
  mergedObjectIds?: number[];
  newObjectId?: number;
  numberOfPropertiesMoved?: number;
  associationType?: string;
  fromObjectTypeId?: string;
  fromObjectId?: number;
  toObjectTypeId?: string;
  toObjectId?: number;
  associationTypeId?: number;
  associationCategory?: string;
  associationRemoved?: boolean;
  isPrimaryAssociation?: boolean;
}

export interface DeliveryRecord {
  attemptNumber: number;
  eventCount: number;
  status: number | 'error' | 'timeout';
  at: number;
}

/** v3 signature: base64 HMAC-SHA256 of method + uri + body + timestamp, keyed with the client secret. */
export function signV3(secret: string, method: string, uri: string, body: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`).digest('base64');
}

/**
 * The kind-specific part of an event, as HubSpot documents it: property changes name the property and value,
 * creations and deletions carry a changeFlag, merges the merge's ids and how many properties moved, and
 * association changes no objectId but both ends (CONTACT_TO_COMPANY, fromObjectId, toObjectId,
 * associationRemoved, isPrimaryAssociation; a generic subscription's event also names the ends' type ids and
 * the association type — those generic fields are our reading of HubSpot's docs, unconfirmed). A privacy
 * deletion (`contact.privacyDeletion`, a hub event) has the legacy shape: objectId and nothing else.
 */
function payloadOf(change: RecordChange, generic: boolean): Partial<WebhookEvent> {
  const typeId = generic ? { objectTypeId: change.type.typeId } : {};
  switch (change.kind) {
    case 'propertyChange':
      return { objectId: change.objectId, ...typeId, propertyName: change.propertyName, propertyValue: change.propertyValue ?? '' };
    case 'creation':
    case 'deletion':
      return { objectId: change.objectId, ...typeId, changeFlag: change.kind === 'creation' ? 'CREATED' : 'DELETED' };
    case 'privacyDeletion':
      return { objectId: change.objectId };
    case 'merge':
      return { objectId: change.objectId, ...typeId, ...change.merge };
    case 'associationChange': {
      const a = change.association;
      if (!a) throw new Error('association change without its ends');
      return {
        associationType: `${change.type.upperLabel}_TO_${a.toType.upperLabel}`,
        ...(generic ? { fromObjectTypeId: change.type.typeId } : {}),
        fromObjectId: change.objectId,
        ...(generic
          ? { toObjectTypeId: a.toType.typeId, associationTypeId: a.associationTypeId, associationCategory: 'HUBSPOT_DEFINED' }
          : {}),
        toObjectId: a.toObjectId,
        associationRemoved: a.associationRemoved,
        isPrimaryAssociation: a.isPrimaryAssociation,
      };
    }
  }
}

/** Turns record changes into HubSpot webhook events and delivers them in signed batches, with retries. */
export class WebhookDispatcher {
  private readonly options: Required<WebhookOptions>;
  private readonly portalId: number;
  private queue: WebhookEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly pending = new Set<Promise<void>>();
  private nextEventId = 1;
  readonly log: DeliveryRecord[] = [];
  private stopped = false;

  constructor(options: WebhookOptions, portalId: number) {
    this.options = {
      maxConcurrentRequests: 10,
      batchWindowMs: 50,
      maxEventsPerRequest: 100,
      maxRetries: 10,
      retryDelayMs: 1000,
      timeoutMs: 5000,
      ...options,
    };
    this.portalId = portalId;
  }

  private subscriptionFor(change: RecordChange): { id: number; sub: WebhookSubscription } | undefined {
    const subs = this.options.subscriptions;
    for (let i = 0; i < subs.length; i++) {
      const sub = subs[i] as WebhookSubscription;
      if (sub.active === false) continue;
      const [prefix, kind] = sub.subscriptionType.split('.');
      const objectType = prefix === 'object' ? sub.objectType : prefix;
      if (objectType !== change.type.singular || kind !== change.kind) continue;
      if (change.kind === 'propertyChange' && sub.propertyName !== change.propertyName) continue;
      return { id: i + 1, sub };
    }
    return undefined;
  }

  enqueue(changes: RecordChange[]): void {
    if (this.stopped) return;
    for (const change of changes) {
      const match = this.subscriptionFor(change);
      if (!match) continue;
      const generic = match.sub.subscriptionType.startsWith('object.');
      this.queue.push({
        eventId: this.nextEventId++,
        subscriptionId: match.id,
        portalId: this.portalId,
        appId: Number(this.options.appId),
        occurredAt: change.occurredAt,
        subscriptionType: match.sub.subscriptionType,
        attemptNumber: 0,
        ...payloadOf(change, generic),
        changeSource: change.source.sourceType,
        ...(change.source.sourceId ? { sourceId: change.source.sourceId } : {}),
        isSensitive: false,
      });
    }
    if (this.queue.length > 0 && !this.timer) {
      this.timer = setTimeout(() => this.flushQueue(), this.options.batchWindowMs);
    }
  }

  private flushQueue(): void {
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxEventsPerRequest);
      const p = this.deliver(batch, 0).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  private async slot(): Promise<void> {
    if (this.inFlight < this.options.maxConcurrentRequests) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
  }

  private release(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }

  private async deliver(events: WebhookEvent[], attemptNumber: number): Promise<void> {
    if (this.stopped) return;
    await this.slot();
    let status: DeliveryRecord['status'];
    try {
      const body = JSON.stringify(events.map((e) => ({ ...e, attemptNumber })));
      const timestamp = Date.now();
      const uri = this.options.targetUrl;
      const res = await fetch(uri, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio)',
          'x-hubspot-signature': createHash('sha256')
            .update(this.options.clientSecret + body)
            .digest('hex'),
          'x-hubspot-signature-version': 'v1',
          'x-hubspot-signature-v3': signV3(this.options.clientSecret, 'POST', uri, body, timestamp),
          'x-hubspot-request-timestamp': String(timestamp),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch (err) {
      status = err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'error';
    } finally {
      this.release();
    }
    this.log.push({ attemptNumber, eventCount: events.length, status, at: Date.now() });
    const ok = typeof status === 'number' && status >= 200 && status < 300;
    if (!ok && attemptNumber < this.options.maxRetries && !this.stopped) {
      await new Promise((r) => setTimeout(r, this.options.retryDelayMs * (attemptNumber + 1)));
      await this.deliver(events, attemptNumber + 1);
    }
  }

  /** Resolves when every queued event has been delivered or has exhausted its retries. */
  async drain(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.flushQueue();
    }
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }
}
