/**
 * Ceilings for the synthetic portal's hold-out: how well could any model do on the same rows?
 *
 * The planted probabilities ("oracle") use the latent engagement, which a model only sees through noisy
 * activity counts, so the oracle AUC is not reachable. This module rebuilds the generator's working records
 * (same seeded streams, checked against portal.truth) and computes, per hold-out row:
 *
 * - noLatent: the planted formula with the engagement integrated out over its prior (knowing every observable
 *   field and the owner's skill exactly, nothing about engagement). Exact Bayes ceiling where nothing observed
 *   depends on engagement: a contact at creation (contact_fit, contact_close_90d first snapshots).
 * - posterior: the planted formula averaged over the posterior of the latent engagement given the activities
 *   stamped up to the row's moment (the deal's own, its primary contact's own) and, for a deal, that it is
 *   still open at t. It leaves out the stage path and lifecycle (both also driven by the planted probability),
 *   so a model can in principle beat it on later snapshots; it is an estimate of the attainable, not a bound.
 * - contactLatent (deal rows at creation only): knows the primary contact's engagement exactly but not the
 *   deal's own part of engagement, of which nothing has been observed at creation: an upper bound for any model
 *   scoring a deal at creation.
 *
 * And the ECE noise floor: the planted probabilities' own ECE when the labels are redrawn from them (one draw
 * per record, shared by its snapshots), i.e. what a perfectly calibrated model scores on a hold-out this size.
 *
 * Test-only: it reads the generator's internals, which the scoring core never sees.
 */
import { FLAVOURS, type Flavour, flavourWeights } from '../../../../test/sandboxes/seed/activity-simulation.ts';
import { rankAuc } from '../../../../test/sandboxes/seed/auc.ts';
import { markDealContactsAsOpportunities } from '../../../../test/sandboxes/seed/deal-lifecycle.ts';
import type { CompanyDraft, ContactDraft, DealDraft } from '../../../../test/sandboxes/seed/drafts.ts';
import { generateCompanies, generateOwners } from '../../../../test/sandboxes/seed/generate-companies.ts';
import { generateContacts } from '../../../../test/sandboxes/seed/generate-contacts.ts';
import { generateDeals } from '../../../../test/sandboxes/seed/generate-deals.ts';
import { DECISION_MAKER_SENIORITIES } from '../../../../test/sandboxes/seed/names.ts';
import type { PortalData } from '../../../../test/sandboxes/seed/portal-data.ts';
import { createRng } from '../../../../test/sandboxes/seed/prng.ts';
import { OWNER_COUNT } from '../../../../test/sandboxes/seed/synthetic-portal.ts';
import { expectedCalibrationError } from '../engine.ts';
import type { TrainedModelReport } from '../train.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const WINDOW_DAYS = 730;
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

interface Drafts {
  companies: CompanyDraft[];
  contacts: Map<string, ContactDraft>;
  contactList: ContactDraft[];
  deals: Map<string, DealDraft>;
}

/** The generator's drafts for a default-size portal of this seed (same streams as generateSyntheticPortal). */
function rebuildDrafts(portal: PortalData, seed: number): Drafts {
  const nowMs = Date.parse(portal.now);
  const startMs = nowMs - WINDOW_DAYS * DAY;
  const contactCount = portal.contacts.length;
  const { drafts: owners } = generateOwners(createRng(seed, 'owners'), OWNER_COUNT);
  const companies = generateCompanies(createRng(seed, 'companies'), portal.companies.length, owners);
  const contacts = generateContacts(createRng(seed, 'contacts'), contactCount, companies, { startMs, nowMs });
  const deals = generateDeals(createRng(seed, 'deals'), portal.deals.length, companies, contacts, owners, nowMs);
  markDealContactsAsOpportunities(contacts, deals);
  for (const d of deals) {
    if (Math.abs((portal.truth?.dealWin[d.id] ?? Number.NaN) - d.winProbability) > 1e-12) throw new Error(`rebuilt ${d.id} differs`);
  }
  for (const c of contacts) {
    if (Math.abs((portal.truth?.contactConversion[c.id] ?? Number.NaN) - c.conversionProbability) > 1e-12)
      throw new Error(`rebuilt ${c.id} differs`);
  }
  return {
    companies,
    contactList: contacts,
    contacts: new Map(contacts.map((c) => [c.id, c])),
    deals: new Map(deals.map((d) => [d.id, d])),
  };
}

/** Prior mean of a contact's engagement: inbound sources bring slightly more engaged people. */
const contactPriorMean = (c: ContactDraft): number =>
  (c.leadSource === 'referral' || c.leadSource === 'webinar' || c.leadSource === 'partner' ? 0.25 : 0) -
  (c.leadSource === 'purchased_list' ? 0.3 : 0);

const FLAVOUR_INDEX = Object.fromEntries(FLAVOURS.map((f, i) => [f, i])) as Record<Flavour, number>;

function flavourLogShare(e: number, forDeal: boolean): number[] {
  const w = flavourWeights(e, forDeal);
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => Math.log(x / total));
}

interface Observed {
  ms: number;
  flavour: Flavour;
  /** Meetings: whether it was completed. */
  completed: boolean | null;
}

function flavourOf(a: PortalData['activities'][number]): Observed {
  const p = a.properties;
  const ms = Date.parse(a.timestamp);
  switch (a.kind) {
    case 'email':
      return { ms, flavour: p['hs_email_direction'] === 'INCOMING_EMAIL' ? 'email_in' : 'email_out', completed: null };
    case 'call':
      return { ms, flavour: p['hs_call_direction'] === 'INBOUND' ? 'call_in' : 'call_out', completed: null };
    case 'meeting':
      return { ms, flavour: 'meeting', completed: p['hs_meeting_outcome'] === 'COMPLETED' };
    default:
      return { ms, flavour: a.kind as Flavour, completed: null };
  }
}

/** Log-likelihood of a Poisson stream of activities (rate scale exp(e − 0.5)) seen over `exposureDays` of base rate. */
function activityLogLik(e: number, acts: Observed[], baseExposure: number, forDeal: boolean): number {
  const lift = Math.exp(e - 0.5);
  let ll = -lift * baseExposure + acts.length * Math.log(lift);
  const share = flavourLogShare(e, forDeal);
  const show = sigmoid(1.5 + 0.8 * e);
  for (const a of acts) {
    ll += share[FLAVOUR_INDEX[a.flavour]] as number;
    if (a.completed !== null) ll += Math.log(a.completed ? show : 1 - show);
  }
  return ll;
}

const GRID = Array.from({ length: 81 }, (_, i) => -4 + i * 0.1);

function normalCdf(x: number): number {
  // Abramowitz–Stegun 7.1.26 on erf.
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496735) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export interface RowCeilings {
  noLatent: number[];
  posterior: number[];
  /** NaN where not defined (rows other than a deal's creation snapshot). */
  contactLatent: number[];
}

export class Ceilings {
  private readonly drafts: Drafts;
  private readonly contactActs = new Map<string, Observed[]>();
  private readonly dealActs = new Map<string, Observed[]>();
  private readonly nowMs: number;
  private readonly portal: PortalData;

  constructor(portal: PortalData, seed: number) {
    this.portal = portal;
    this.drafts = rebuildDrafts(portal, seed);
    this.nowMs = Date.parse(portal.now);
    for (const a of portal.activities) {
      const o = flavourOf(a);
      if (a.dealIds.length > 0) for (const id of a.dealIds) push(this.dealActs, id, o);
      else for (const id of a.contactIds) push(this.contactActs, id, o);
    }
  }

  /** Posterior weights over GRID of a contact's engagement given its own activities up to t (unnormalised log). */
  private contactLogPost(c: ContactDraft, t: number): number[] {
    const start = c.createdMs + HOUR;
    const end = Math.min(c.createdMs + 30 * DAY, this.nowMs, t);
    const exposure = (Math.max(0, end - start) / DAY) * (1.6 / 30);
    const acts = (this.contactActs.get(c.id) ?? []).filter((a) => a.ms <= t);
    const mu = contactPriorMean(c);
    return GRID.map((e) => -0.5 * (e - mu) ** 2 + activityLogLik(e, acts, exposure, false));
  }

  contactRows(ids: string[], times: number[]): RowCeilings {
    const out: RowCeilings = { noLatent: [], posterior: [], contactLatent: [] };
    ids.forEach((id, k) => {
      const c = this.drafts.contacts.get(id)!;
      const l0 = logit(c.conversionProbability) - 1.05 * c.engagement;
      const mu = contactPriorMean(c);
      out.noLatent.push(
        expect(
          GRID.map((e) => -0.5 * (e - mu) ** 2),
          (e) => sigmoid(l0 + 1.05 * e),
        ),
      );
      out.posterior.push(expect(this.contactLogPost(c, times[k] as number), (e) => sigmoid(l0 + 1.05 * e)));
      out.contactLatent.push(Number.NaN);
    });
    return out;
  }

  dealRows(ids: string[], times: number[], primaryAtCreation: boolean[]): RowCeilings {
    const out: RowCeilings = { noLatent: [], posterior: [], contactLatent: [] };
    ids.forEach((id, k) => {
      const d = this.drafts.deals.get(id)!;
      const t = times[k] as number;
      const primary = this.contactsOf(d)[0]!;
      const dm = this.contactsOf(d).some((m) => DECISION_MAKER_SENIORITIES.includes(m.seniority));
      const b = 0.95 + (dm ? 0.35 : 0);
      const l0 = logit(d.winProbability) - b * d.engagement;
      const win = (e: number): number => sigmoid(l0 + b * e);
      const mu = 0.5 * contactPriorMean(primary);
      out.noLatent.push(
        expect(
          GRID.map((e) => -0.5 * (e - mu) ** 2),
          win,
        ),
      );
      // Deal engagement = 0.5·(contact engagement) + 0.866·noise: a 2-D grid over (contact, deal) engagement.
      const contactLog = this.contactLogPost(primary, t);
      const start = d.createdMs + HOUR;
      const seen = Math.max(0, t - start) / DAY;
      const burst = Math.max(0, Math.min(t, d.createdMs + 30 * DAY) - start) / DAY;
      const exposure = (2.2 / 30) * burst + (0.15 / 7) * seen;
      const acts = (this.dealActs.get(d.id) ?? []).filter((a) => a.ms <= t);
      const company = this.drafts.companies[d.companyIndex]!;
      const sizeFactor = 1 + 0.25 * (Math.log10(company.employees) - 2.5);
      const ageDays = (t - d.createdMs) / DAY;
      const dealLog = GRID.map((e) => {
        let ll = activityLogLik(e, acts, exposure, true);
        // Still open at t: the cycle (log-normal around 80·size·exp(−0.2·e), clamped to 3..420 days) is longer than the age.
        if (ageDays > 3) ll += Math.log(Math.max(1e-300, 1 - normalCdf((Math.log(ageDays / (80 * sizeFactor)) + 0.2 * e) / 0.6)));
        return ll;
      });
      let num = 0;
      let den = 0;
      let maxLog = Number.NEGATIVE_INFINITY;
      const joint: number[] = [];
      for (let i = 0; i < GRID.length; i++) {
        for (let j = 0; j < GRID.length; j++) {
          const ec = GRID[i] as number;
          const ed = GRID[j] as number;
          const v = (contactLog[i] as number) + (dealLog[j] as number) - (0.5 * (ed - 0.5 * ec) ** 2) / 0.75;
          joint.push(v);
          if (v > maxLog) maxLog = v;
        }
      }
      for (let i = 0; i < GRID.length; i++) {
        for (let j = 0; j < GRID.length; j++) {
          const w = Math.exp((joint[i * GRID.length + j] as number) - maxLog);
          num += w * win(GRID[j] as number);
          den += w;
        }
      }
      out.posterior.push(num / den);
      if (primaryAtCreation[k]) {
        const ec = primary.engagement;
        out.contactLatent.push(
          expect(
            GRID.map((e) => (-0.5 * (e - 0.5 * ec) ** 2) / 0.75),
            win,
          ),
        );
      } else out.contactLatent.push(Number.NaN);
    });
    return out;
  }

  private contactsOf(d: DealDraft): ContactDraft[] {
    return d.contactIndices.map((i) => this.drafts.contactList[i]!);
  }

  /** The ECE a perfectly calibrated predictor gets on these rows: labels redrawn from the planted probabilities. */
  eceNoiseFloor(ids: string[], planted: number[], draws = 200): { mean: number; p90: number } {
    let state = 12345;
    const rand = (): number => {
      state = (state + 0x6d2b79f5) | 0;
      let x = Math.imul(state ^ (state >>> 15), 1 | state);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const values: number[] = [];
    for (let r = 0; r < draws; r++) {
      const drawn = new Map<string, number>();
      const labels = ids.map((id, k) => {
        if (!drawn.has(id)) drawn.set(id, rand() < (planted[k] as number) ? 1 : 0);
        return drawn.get(id)!;
      });
      values.push(expectedCalibrationError(labels, planted));
    }
    values.sort((a, b) => a - b);
    return { mean: values.reduce((a, b) => a + b, 0) / draws, p90: values[Math.floor(draws * 0.9)]! };
  }

  get portalNow(): number {
    return this.nowMs;
  }

  get source(): PortalData {
    return this.portal;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

/** E[f(e)] under unnormalised log-weights over GRID. */
function expect(logWeights: number[], f: (e: number) => number): number {
  const max = Math.max(...logWeights);
  let num = 0;
  let den = 0;
  logWeights.forEach((lw, i) => {
    const w = Math.exp(lw - max);
    num += w * f(GRID[i] as number);
    den += w;
  });
  return num / den;
}

export interface CeilingLine {
  slice: 'all rows' | 'first snapshot';
  n: number;
  records: number;
  model: number;
  oracle: number;
  noLatent: number;
  posterior: number;
  contactLatent: number;
  modelEce: number;
  oracleEce: number;
  eceFloor: { mean: number; p90: number };
}

/** AUCs of the model and of each ceiling on the same hold-out rows, all rows and first snapshots only. */
export function ceilingReport(ceilings: Ceilings, model: TrainedModelReport): CeilingLine[] {
  const h = model.holdout;
  const isDeal = model.target.startsWith('deal');
  const truth = isDeal ? ceilings.source.truth!.dealWin : ceilings.source.truth!.contactConversion;
  const rows = isDeal
    ? ceilings.dealRows(
        h.recordIds,
        h.times,
        h.primary.map((p) => p && model.target === 'deal_win_at_creation'),
      )
    : ceilings.contactRows(h.recordIds, h.times);
  const lines: CeilingLine[] = [];
  for (const slice of ['all rows', 'first snapshot'] as const) {
    const keep = h.recordIds.map((_, k) => slice === 'all rows' || h.primary[k] === true);
    const pick = <T>(xs: T[]): T[] => xs.filter((_, k) => keep[k]);
    const labels = pick(h.labels) as (0 | 1)[];
    if (!labels.includes(0) || !labels.includes(1)) continue;
    const planted = pick(h.recordIds).map((id) => truth[id] ?? Number.NaN);
    const contactLatent = pick(rows.contactLatent);
    lines.push({
      slice,
      n: labels.length,
      records: new Set(pick(h.recordIds)).size,
      model: rankAuc(pick(h.predictions), labels),
      oracle: rankAuc(planted, labels),
      noLatent: rankAuc(pick(rows.noLatent), labels),
      posterior: rankAuc(pick(rows.posterior), labels),
      contactLatent: contactLatent.every((v) => Number.isFinite(v)) ? rankAuc(contactLatent, labels) : Number.NaN,
      modelEce: expectedCalibrationError(labels, pick(h.predictions)),
      oracleEce: expectedCalibrationError(labels, planted),
      eceFloor: ceilings.eceNoiseFloor(pick(h.recordIds), planted),
    });
  }
  return lines;
}
