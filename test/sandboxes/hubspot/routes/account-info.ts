import { Router } from 'express';
import type { SandboxContext } from '../context.ts';

/** The zone's offset from UTC at `at`, in milliseconds (negative west of Greenwich), as HubSpot reports it. */
function utcOffsetMs(timeZone: string, at: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - Math.floor(at / 1000) * 1000;
}

function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const minutes = Math.abs(ms) / 60_000;
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * GET /account-info/v3/details: what HubSpot answers any valid token (private app or OAuth) about the account it
 * belongs to — how a private-app install learns its portal id and time zone.
 */
export function accountInfoRouter(ctx: SandboxContext): Router {
  const router = Router();
  router.get('/account-info/v3/details', (_req, res) => {
    const { portal } = ctx;
    const offset = utcOffsetMs(portal.timeZone, portal.clock());
    res.json({
      portalId: portal.portalId,
      accountType: 'STANDARD',
      timeZone: portal.timeZone,
      companyCurrency: 'USD',
      additionalCurrencies: [],
      utcOffset: formatOffset(offset),
      utcOffsetMilliseconds: offset,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    });
  });
  return router;
}
