import { type HistorySignal, MIN_USEFUL_AUC } from '../scoring/history-signal.ts';
import type { HoldoutSlice } from './holdout-comparison.ts';

/** The demo's printed summary. Pure formatting of facts, so two runs with one seed print the same bytes. */
export interface ModelLine {
  target: string;
  source: 'portal' | 'prior';
  version: number;
  auc: number;
  /** Where the oracle is the ceiling (holdout-comparison.ts); null when the hold-out has one class there. */
  firstSnapshot: HoldoutSlice | null;
  /** Where a simple baseline is the comparison. */
  laterSnapshots: HoldoutSlice | null;
  /** Whether the history predicts outcomes (scoring/history-signal.ts); null for priors. */
  signal: HistorySignal | null;
  /** Why a model is not the portal's own yet, when it waits for the admin (a first-proposal stage); else null. */
  waiting: string | null;
  ece: number;
  holdoutSize: number;
  excluded: string[];
  /** Excluded because the CRM gave no history for the field (scoring/history-coverage.ts). */
  historyUnknown: string[];
}

export interface TopDeal {
  name: string;
  amount: number | null;
  stage: string;
  probability: number;
}

/** How the summary names the demo CRM's things; each demo portal (demo-portal.ts) carries its own. */
export interface DemoLabels {
  /** The CRM's name, as in "HubSpot sandbox". */
  crm: string;
  /** The person records scored for likelihood to close ("contacts"; "contacts and leads"). */
  people: string;
  /** The record links the sync stores ("associations"; "contact roles"). */
  links: string;
  /** The score fields a marketer filters by, as the CRM names them. */
  dealField: string;
  contactField: string;
  /**
   * Said after "Installed:" when the CRM's fields come with a package Closewise only checks; null when the
   * install creates its properties, and the summary counts them.
   */
  packageInstall: string | null;
}

export interface DemoFacts {
  portalName: string;
  labels: DemoLabels;
  seed: number;
  store: string;
  now: Date;
  installed: { created: number; unchanged: number };
  synced: Record<string, number>;
  models: ModelLine[];
  written: { deals: number; contacts: number; companies: number; failed: number };
  openDealProbabilities: number[];
  contactLikelihoods: number[];
  topDeals: TopDeal[];
}

const int = (n: number) => n.toLocaleString('en-US');
const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
const money = (n: number | null) => (n === null ? '—' : `$${Math.round(n).toLocaleString('en-US')}`);

function histogram(values: number[]): string[] {
  const buckets = new Array<number>(10).fill(0);
  for (const v of values) buckets[Math.min(9, Math.floor(v * 10))]! += 1;
  const max = Math.max(1, ...buckets);
  return buckets.map(
    (count, i) =>
      `    ${String(i * 10).padStart(3)}–${String(i * 10 + 10).padEnd(3)}% ${'█'.repeat(Math.round((count / max) * 30)).padEnd(30)} ${int(count)}`,
  );
}

function quantiles(values: number[]): string {
  if (values.length === 0) return 'none';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return `mean ${pct(mean)}, median ${pct(at(0.5))}, p10 ${pct(at(0.1))}, p90 ${pct(at(0.9))}`;
}

export function formatSummary(facts: DemoFacts): string {
  const lines: string[] = [];
  lines.push(
    `Closewise demo — ${facts.portalName}, ${facts.labels.crm} sandbox, ${facts.store} store, as of ${facts.now.toISOString().slice(0, 10)}`,
  );
  lines.push('');
  lines.push(
    facts.labels.packageInstall === null
      ? `Installed: ${facts.installed.created + facts.installed.unchanged} Closewise properties (${facts.installed.created} created, ${facts.installed.unchanged} already there)`
      : `Installed: ${facts.labels.packageInstall}`,
  );
  const s = facts.synced;
  lines.push(
    `Synced: ${int(s.company ?? 0)} companies, ${int((s.contact ?? 0) + (s.lead ?? 0))} ${facts.labels.people}, ${int(s.deal ?? 0)} deals, ${int(['email', 'call', 'meeting', 'note', 'task'].reduce((n, k) => n + (s[k] ?? 0), 0))} activities, ${int(s.associations ?? s.contactRoles ?? 0)} ${facts.labels.links}, ${int(s.customFields ?? 0)} custom properties`,
  );
  lines.push('');
  lines.push('Models (AUC on a time-based hold-out of closed history, all rows; then on first snapshots, records as they');
  lines.push('were created, next to the oracle where the portal plants one (the ceiling there); on later snapshots next to a');
  lines.push('simple baseline, the better of activities so far and record age):');
  for (const m of facts.models) {
    lines.push(
      `  ${m.target.padEnd(26)} ${m.source} v${m.version}  AUC ${m.auc.toFixed(3)}  ECE ${m.ece.toFixed(3)}  hold-out ${int(m.holdoutSize)}`,
    );
    const first = m.firstSnapshot;
    const later = m.laterSnapshots;
    const parts: string[] = [];
    if (first) {
      const oracle =
        first.oracle === null ? '' : ` vs oracle ${first.oracle.toFixed(3)} (${((first.model / first.oracle) * 100).toFixed(0)}%)`;
      parts.push(`first snapshot ${first.model.toFixed(3)}${oracle}`);
    }
    if (later) {
      const baseline = later.baseline ? ` vs ${later.baseline.name} ${later.baseline.auc.toFixed(3)}` : '';
      parts.push(`later snapshots ${later.model.toFixed(3)}${baseline}`);
    }
    if (parts.length) lines.push(`    ${parts.join('; ')}`);
    if (m.waiting) lines.push(`    ${m.waiting}`);
    if (m.signal && !m.signal.predicts) {
      lines.push(
        `    history does not predict outcomes yet: first-snapshot AUC ${m.signal.auc.toFixed(3)}, 90% lower bound ${m.signal.lower.toFixed(3)} (useful from ${MIN_USEFUL_AUC}); cards say so`,
      );
    }
    if (m.historyUnknown.length) lines.push(`    excluded, history unknown (an admin may opt in): ${m.historyUnknown.join(', ')}`);
    if (m.excluded.length) lines.push(`    excluded as leaking: ${m.excluded.join(', ')}`);
  }
  lines.push('');
  lines.push(
    `Written back: ${facts.labels.dealField} on ${int(facts.written.deals)} open deals, ${facts.labels.contactField} on ${int(facts.written.contacts)} ${facts.labels.people}, ${int(facts.written.companies)} companies; ${int(facts.written.failed)} failed`,
  );
  lines.push('');
  lines.push(`Win probability of open deals (${int(facts.openDealProbabilities.length)}): ${quantiles(facts.openDealProbabilities)}`);
  lines.push(...histogram(facts.openDealProbabilities));
  lines.push(`Likelihood to close in 90 days, contacts (${int(facts.contactLikelihoods.length)}): ${quantiles(facts.contactLikelihoods)}`);
  lines.push(...histogram(facts.contactLikelihoods));
  lines.push('');
  lines.push('Top 10 open deals by win probability:');
  facts.topDeals.forEach((deal, i) => {
    lines.push(
      `  ${String(i + 1).padStart(2)}. ${deal.name.slice(0, 38).padEnd(38)} ${money(deal.amount).padStart(10)}  ${deal.stage.slice(0, 24).padEnd(24)} ${pct(deal.probability).padStart(6)}`,
    );
  });
  return `${lines.join('\n')}\n`;
}
