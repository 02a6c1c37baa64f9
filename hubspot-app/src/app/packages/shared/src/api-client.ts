import {
  apiErrorSchema,
  type CardObjectType,
  type CreateTaskRequest,
  type CreateTaskResponse,
  companyCardSchema,
  contactCardSchema,
  createTaskResponseSchema,
  dealCardSchema,
  type RescoreRequest,
  type SettingsResponse,
  type SettingsValues,
  type SnoozeRequest,
  type SnoozeResponse,
  settingsResponseSchema,
  snoozeResponseSchema,
} from '@closewise/contract';
import type { z } from 'zod';
import { BACKEND_NOT_CONFIGURED_MESSAGE } from './backend-url.ts';

/** What the card needs from `hubspot.fetch` (and what tests and the local preview provide instead). */
export interface FetchResponseLike {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}
export type HubSpotFetch = (
  url: string,
  options?: { method?: 'GET' | 'POST' | 'PUT'; body?: Record<string, unknown>; timeout?: number },
) => Promise<FetchResponseLike>;

/** Why a call failed, so the card can say something true: network trouble, a refusal, or a response we cannot trust. */
export class CardApiError extends Error {
  readonly kind: 'not_configured' | 'network' | 'http' | 'invalid_response';
  readonly status: number | null;
  constructor(kind: CardApiError['kind'], message: string, status: number | null = null) {
    super(message);
    this.name = 'CardApiError';
    this.kind = kind;
    this.status = status;
  }
}

const cardSchemas = { deals: dealCardSchema, contacts: contactCardSchema, companies: companyCardSchema } as const;
type CardSchemas = typeof cardSchemas;
export type CardDataFor<T extends CardObjectType> = z.infer<CardSchemas[T]>;

export interface CardApi {
  getCard<T extends CardObjectType>(objectType: T, id: string): Promise<CardDataFor<T>>;
  createTask(objectType: CardObjectType, id: string, body: CreateTaskRequest): Promise<CreateTaskResponse>;
  snooze(objectType: CardObjectType, id: string, body: SnoozeRequest): Promise<SnoozeResponse>;
  rescore<T extends CardObjectType>(objectType: T, id: string, body: RescoreRequest): Promise<CardDataFor<T>>;
  getSettings(): Promise<SettingsResponse>;
  saveSettings(values: SettingsValues): Promise<SettingsResponse>;
}

export interface CardApiOptions {
  fetch: HubSpotFetch;
  /**
   * Backend origin from backendUrlFrom(context.variables), e.g. https://api.closewise.io; null when the profile did
   * not set it, and then every call fails with a 'not_configured' error the card shows instead of calling anywhere.
   */
  baseUrl: string | null;
  /** The portal the card runs in; it travels in the signed URL so the backend can match the tenant. */
  portalId: string | number;
  /** hubspot.fetch defaults to 15 s; a card should fail faster than a rep's patience. */
  timeoutMs?: number;
}

export function createCardApi(options: CardApiOptions): CardApi {
  const base = options.baseUrl?.replace(/\/+$/, '') ?? null;
  const portal = encodeURIComponent(String(options.portalId));

  async function call<S extends z.ZodType>(
    schema: S,
    path: string,
    method: 'GET' | 'POST' | 'PUT',
    body?: Record<string, unknown>,
  ): Promise<z.infer<S>> {
    if (base === null) throw new CardApiError('not_configured', BACKEND_NOT_CONFIGURED_MESSAGE);
    const url = `${base}${path}${path.includes('?') ? '&' : '?'}portalId=${portal}`;
    let response: FetchResponseLike;
    try {
      response = await options.fetch(url, { method, timeout: options.timeoutMs ?? 8000, ...(body ? { body } : {}) });
    } catch (error) {
      throw new CardApiError('network', `Closewise could not be reached (${error instanceof Error ? error.message : 'network error'}).`);
    }
    const payload: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const parsedError = apiErrorSchema.safeParse(payload);
      const message = parsedError.success ? parsedError.data.error.message : `Closewise answered with HTTP ${response.status}.`;
      throw new CardApiError('http', message, response.status);
    }
    // Validate on arrival even though the server validated before sending: a deploy skew must not render garbage.
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new CardApiError('invalid_response', 'Closewise sent data this card does not understand.', response.status);
    return parsed.data;
  }

  const recordPath = (objectType: CardObjectType, id: string) => `/api/hubspot/cards/${objectType}/${encodeURIComponent(id)}`;

  return {
    // TypeScript cannot narrow cardSchemas[objectType] by the generic; the value is validated by exactly that schema.
    getCard: (objectType, id) =>
      call(cardSchemas[objectType], recordPath(objectType, id), 'GET') as Promise<CardDataFor<typeof objectType>>,
    createTask: (objectType, id, body) => call(createTaskResponseSchema, `${recordPath(objectType, id)}/actions/create-task`, 'POST', body),
    snooze: (objectType, id, body) => call(snoozeResponseSchema, `${recordPath(objectType, id)}/actions/snooze`, 'POST', body),
    rescore: (objectType, id, body) =>
      call(cardSchemas[objectType], `${recordPath(objectType, id)}/actions/rescore`, 'POST', body) as Promise<
        CardDataFor<typeof objectType>
      >,
    getSettings: () => call(settingsResponseSchema, '/api/hubspot/settings', 'GET'),
    saveSettings: (values) => call(settingsResponseSchema, '/api/hubspot/settings', 'PUT', values),
  };
}

/** A fresh key per user click; retries of the same click (by hubspot.fetch) reuse it. */
export function newIdempotencyKey(): string {
  const cryptoApi = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (cryptoApi?.randomUUID) return cryptoApi.randomUUID();
  return `k${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}
