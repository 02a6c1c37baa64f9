import { randomUUID } from 'node:crypto';
import type { CardObjectType } from '@closewise/contract';
import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';
import { type CardApi, createCardApi, type HubSpotFetch } from '@closewise/hubspot-shared/api-client';
import type { ComponentType } from 'react';
import { z } from 'zod';
import { PREVIEW_CLIENT_SCRIPT, PREVIEW_STYLES } from './page-assets.ts';
import { escapeHtml, type TreeNode, treeToHtml } from './tree-to-html.ts';
import { installTsxLoader } from './tsx-loader.ts';

/**
 * Local preview of the HubSpot cards for people without a HubSpot portal. It renders the SAME React
 * components HubSpot runs (through @hubspot/ui-extensions/testing's renderer, kept alive per page view),
 * and a click in the browser is routed back to the live component's handler — so "Create task" really
 * calls the card API, signed exactly as hubspot.fetch would sign it.
 *
 * Mount (dev mode only), e.g.:
 *   GET  /preview/:objectType/:id  → res.type('html').send(await preview.renderPage(objectType, id, requestOrigin))
 *   POST /preview/events (JSON)    → const r = await preview.handleEvent(req.body); res.status(r.status).json(r.body)
 */
export interface CardPreviewOptions {
  /**
   * Where this process reaches the card API, e.g. http://127.0.0.1:3000 (the origin the router verifies against).
   * Default: the origin the preview page itself was requested on, i.e. the card API mounted on the same app.
   */
  apiBaseUrl?: string;
  /** The HubSpot app client secret the card API verifies with; the preview signs like HubSpot. */
  clientSecret: string;
  /** The sandbox portal the records belong to. */
  portalId: string | number;
  /** Path the page posts clicks to; default /preview/events. */
  eventsPath?: string;
  /** Live page views kept in memory; the oldest is dropped beyond this. Default 50. */
  maxSessions?: number;
  fetchImpl?: typeof fetch;
  timeZone?: string;
}

export interface CardPreview {
  /** `requestOrigin` (e.g. http://127.0.0.1:3000) is used when no apiBaseUrl was configured. */
  renderPage(objectType: CardObjectType, id: string, requestOrigin?: string): Promise<string>;
  handleEvent(body: unknown): Promise<{ status: number; body: { html?: string; error?: string } }>;
}

type RecordCardComponent = ComponentType<{
  api: CardApi;
  recordId: string;
  addAlert: (alert: { type?: string; message: string; title?: string }) => void;
  timeZone?: string;
}>;

interface Renderer {
  render(node: unknown): unknown;
  getRootNode(): TreeNode;
}

interface Session {
  /** The record's name, from the card API's response: the title says whose card it is. */
  recordName: string | null;
  renderer: Renderer;
  nodes: TreeNode[];
  alerts: { type: string; message: string }[];
  inFlight: { count: number };
}

const eventSchema = z.object({ session: z.string().uuid(), node: z.number().int().min(0), event: z.literal('onClick') });

const COMPONENT_FILES: Record<CardObjectType, { file: string; exportName: string; title: string }> = {
  deals: { file: 'DealCard.tsx', exportName: 'DealCard', title: 'Closewise deal score' },
  contacts: { file: 'ContactCard.tsx', exportName: 'ContactCard', title: 'Closewise contact score' },
  companies: { file: 'CompanyCard.tsx', exportName: 'CompanyCard', title: 'Closewise account health' },
};

export function createCardPreview(options: CardPreviewOptions): CardPreview {
  const eventsPath = options.eventsPath ?? '/preview/events';
  const maxSessions = options.maxSessions ?? 50;
  const doFetch = options.fetchImpl ?? fetch;
  const sessions = new Map<string, Session>();

  /** hubspot.fetch as HubSpot performs it: JSON body, v3 signature over method + URL + body + timestamp. */
  function signedFetch(inFlight: { count: number }, onName: (name: string) => void): HubSpotFetch {
    return async (url, init) => {
      const method = init?.method ?? 'GET';
      const rawBody = init?.body === undefined ? '' : JSON.stringify(init.body);
      const timestamp = String(Date.now());
      const signature = computeSignatureV3(options.clientSecret, { method, uri: url, rawBody, timestamp });
      inFlight.count++;
      try {
        const response = await doFetch(url, {
          method,
          headers: {
            [SIGNATURE_HEADER]: signature,
            [TIMESTAMP_HEADER]: timestamp,
            ...(rawBody ? { 'content-type': 'application/json' } : {}),
          },
          ...(rawBody ? { body: rawBody } : {}),
          signal: AbortSignal.timeout(init?.timeout ?? 15_000),
        });
        if (method === 'GET' && response.ok) {
          const name = await response
            .clone()
            .json()
            .then((b: unknown) => (b && typeof b === 'object' && 'name' in b && typeof b.name === 'string' ? b.name : null))
            .catch(() => null);
          if (name) onName(name);
        }
        return response;
      } finally {
        inFlight.count--;
      }
    };
  }

  async function loadComponent(objectType: CardObjectType): Promise<RecordCardComponent> {
    installTsxLoader();
    const spec = COMPONENT_FILES[objectType];
    // A computed specifier keeps the server's type-check (no JSX settings) out of the .tsx files.
    const module = (await import(new URL(`../src/app/cards/components/${spec.file}`, import.meta.url).href)) as Record<string, unknown>;
    const component = module[spec.exportName];
    if (typeof component !== 'function') throw new Error(`${spec.file} does not export ${spec.exportName}`);
    return component as RecordCardComponent;
  }

  /** Waits until the card has no request in flight and React has had a moment to commit. */
  async function settle(session: Session): Promise<void> {
    const deadline = Date.now() + 15_000;
    let quiet = 0;
    while (Date.now() < deadline && quiet < 3) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      quiet = session.inFlight.count === 0 ? quiet + 1 : 0;
    }
  }

  function body(session: Session): string {
    const rendered = treeToHtml(session.renderer.getRootNode());
    session.nodes = rendered.nodes;
    const alerts = session.alerts
      .map((a) => `<div class="toast toast-${escapeHtml(a.type)}" role="status" data-testid="toast">${escapeHtml(a.message)}</div>`)
      .join('');
    return `<div class="toasts">${alerts}</div><div class="card-body">${rendered.html}</div>`;
  }

  return {
    async renderPage(objectType, id, requestOrigin) {
      const apiBaseUrl = options.apiBaseUrl ?? requestOrigin;
      if (!apiBaseUrl) throw new Error('createCardPreview needs apiBaseUrl, or the origin of the page request.');
      const Component = await loadComponent(objectType);
      const [{ createRenderer }, { createElement }] = await Promise.all([import('@hubspot/ui-extensions/testing'), import('react')]);
      const inFlight = { count: 0 };
      const session: Session = {
        recordName: null,
        renderer: createRenderer('crm.record.tab') as unknown as Renderer,
        nodes: [],
        alerts: [],
        inFlight,
      };
      const onName = (name: string) => {
        session.recordName = name;
      };
      const api = createCardApi({ fetch: signedFetch(inFlight, onName), baseUrl: apiBaseUrl, portalId: options.portalId });
      const addAlert = (alert: { type?: string; message: string }) =>
        session.alerts.push({ type: alert.type ?? 'info', message: alert.message });
      session.renderer.render(createElement(Component, { api, recordId: id, addAlert, timeZone: options.timeZone ?? 'UTC' }));
      await settle(session);

      const sessionId = randomUUID();
      sessions.set(sessionId, session);
      while (sessions.size > maxSessions) sessions.delete(sessions.keys().next().value as string);

      // Whose card it is by the record's name; the id only when the CRM gave the record none.
      const who = session.recordName ?? `${objectType.replace(/s$/, '').replace(/ie$/, 'y')} ${id}`;
      const title = `${COMPONENT_FILES[objectType].title} — ${who}`;
      return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} (local preview)</title><style>${PREVIEW_STYLES}</style></head>
<body><header class="preview-banner">Local preview of the Closewise HubSpot card: the same React components, live against the card API with HubSpot-style signed requests (portal ${escapeHtml(String(options.portalId))}).</header>
<main class="card" aria-label="${escapeHtml(title)}"><h2 class="card-title">${escapeHtml(title)}</h2><div id="card" data-session="${sessionId}" data-events="${escapeHtml(eventsPath)}">${body(session)}</div></main>
<script>${PREVIEW_CLIENT_SCRIPT}</script></body></html>`;
    },

    async handleEvent(raw) {
      const parsed = eventSchema.safeParse(raw);
      if (!parsed.success) return { status: 400, body: { error: 'Expected { session, node, event: "onClick" }.' } };
      const session = sessions.get(parsed.data.session);
      if (!session) return { status: 410, body: { error: 'This preview expired; reload the page.' } };
      const node = session.nodes[parsed.data.node];
      if (!node?.trigger) return { status: 409, body: { error: 'The card changed; reload the page.' } };
      session.alerts = [];
      node.trigger(parsed.data.event);
      await settle(session);
      return { status: 200, body: { html: body(session) } };
    },
  };
}
