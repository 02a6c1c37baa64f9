import type { MetricSet, ModelCard } from '../types.ts';
import { escapeHtml, fixed, int, nameHtml, notComputed, pct, section, sliceText } from './format.ts';

/** Figures of the chosen model on the rows it is judged on, and the prevalence a no-skill model would predict. */
export interface Measured extends Pick<MetricSet, 'rows' | 'positives' | 'auc' | 'logLoss' | 'brier' | 'ece'> {
  /** e.g. "the test slice" or "pooled out-of-fold predictions". */
  on: string;
  /** The training prevalence: what the prevalence-only baseline predicts for every record. */
  prevalence: number;
}

const FAMILY: Record<string, string> = { gbdt: 'gradient-boosted trees', logistic: 'logistic regression (linear)' };
const family = (kind: string) => FAMILY[kind] ?? kind;

export function measuredFromCard(card: ModelCard): Measured {
  const { holdout } = card;
  return {
    on: card.holdoutSlice === 'test' ? 'the test slice' : 'the calibration slice (no test slice was kept)',
    rows: holdout.rows,
    positives: holdout.positives,
    auc: holdout.auc,
    logLoss: holdout.logLoss,
    brier: holdout.brier,
    ece: holdout.ece,
    prevalence: card.slices.fit.rows > 0 ? card.slices.fit.positives / card.slices.fit.rows : card.data.positiveRate,
  };
}

function tile(label: string, value: string, testId: string): string {
  return `<div class="tile" data-testid="${testId}"><div class="tile-value">${value}</div><div class="tile-label">${escapeHtml(label)}</div></div>`;
}

/** The chosen model and its hold-out figures, each said with the slice it comes from. */
export function summarySection(card: ModelCard, runDetails: string): string {
  const chosen = card.selection?.chosen ?? 'gbdt';
  const trees = chosen === 'gbdt' ? `, ${int(card.iterations)} trees` : '';
  const others = card.selection?.candidates.filter((c) => c.kind !== chosen).map((c) => family(c.kind)) ?? [];
  const choice = card.selection
    ? others.length > 0
      ? ` — chosen over ${others.map(escapeHtml).join(', ')} on the ${card.selection.validation === 'time' ? 'newest-rows (time)' : 'stratified'} validation`
      : ''
    : ' — no other model family was compared';
  const slice = card.holdoutSlice === 'test' ? card.slices.test : card.slices.calibration;
  const where =
    card.holdoutSlice === 'test'
      ? `the test slice (${card.slices.by === 'time' ? 'the newest rows' : 'a stratified random share'}, used neither for fitting, early stopping nor calibration): ${sliceText(slice)}`
      : `the calibration slice, because no test slice was kept (test fraction 0), so they are optimistic: ${sliceText(slice)}`;
  const top = card.holdout.lift[0];
  const tiles = [
    tile('hold-out ROC AUC', fixed(card.holdout.auc), 'summary-auc'),
    tile('hold-out ECE', fixed(card.holdout.ece), 'summary-ece'),
    tile('lift of the top 10%', top ? `${fixed(top.lift, 2)}×` : '–', 'summary-lift'),
    tile('hold-out log loss', fixed(card.holdout.logLoss), 'summary-logloss'),
  ].join('');
  return section(
    'summary',
    'Summary',
    `<p class="chosen"><strong>Chosen model:</strong> ${escapeHtml(family(chosen))}${trees}${choice}.</p>` +
      `<div class="tiles">${tiles}</div><p>Measured on ${escapeHtml(where)}.</p>${runDetails}`,
  );
}

export function warningsBlock(warnings: string[]): string {
  if (warnings.length === 0) return '';
  return `<div class="warnings" role="note" data-testid="warnings"><strong>Read first:</strong><ul>${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></div>`;
}

/** What a model that knows nothing but the base rate would score: the floor the chosen model must clear. */
export function baselineSection(measured: Measured, selection: ModelCard['selection'] | undefined, chosenLabel: string): string {
  const p = Math.min(Math.max(measured.prevalence, 1e-15), 1 - 1e-15);
  const q = measured.rows > 0 ? measured.positives / measured.rows : Number.NaN;
  const baseLogLoss = -(q * Math.log(p) + (1 - q) * Math.log(1 - p));
  const baseBrier = q * (1 - p) ** 2 + (1 - q) * p ** 2;
  const row = (cells: string[], cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}>${cells.map((c, i) => (i < 2 ? `<td>${c}</td>` : `<td class="num">${c}</td>`)).join('')}</tr>`;
  const rows = [
    row([`prevalence only (every record gets ${pct(p)})`, escapeHtml(measured.on), fixed(0.5), fixed(baseLogLoss), fixed(baseBrier)]),
    row(
      [
        `<strong>${escapeHtml(chosenLabel)}</strong> (chosen)`,
        escapeHtml(measured.on),
        fixed(measured.auc),
        fixed(measured.logLoss),
        fixed(measured.brier),
      ],
      'chosen-row',
    ),
  ];
  const validation = selection ? `selection validation (${selection.validation === 'time' ? 'newest rows' : 'stratified'})` : '';
  const candidates = selection?.candidates ?? [];
  for (const c of candidates) {
    rows.push(
      row([
        `${escapeHtml(family(c.kind))}${c.kind === selection?.chosen ? ' (chosen)' : ''}`,
        escapeHtml(validation),
        fixed(c.auc),
        fixed(c.logLoss),
        '–',
      ]),
    );
  }
  if (!candidates.some((c) => c.kind === 'logistic')) {
    rows.push(row(['logistic regression (linear)', notComputed(), notComputed(), notComputed(), notComputed()]));
  }
  const gain = baseLogLoss > 0 ? 1 - measured.logLoss / baseLogLoss : Number.NaN;
  return section(
    'baseline',
    'Baselines',
    `<p>The prevalence-only model predicts the training positive rate for everyone: AUC 0.5, and the log loss any useful model must beat. The chosen model's log loss is ${pct(gain)} below it on ${escapeHtml(measured.on)}.${
      selection ? ' Candidates were compared on the selection validation, which is not the hold-out above.' : ''
    }</p><table data-testid="baseline-table"><thead><tr><th>model</th><th>measured on</th><th class="num">ROC AUC</th><th class="num">log loss</th><th class="num">Brier</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
}

function psiBand(psi: number): string {
  if (psi >= 0.25) return '<span class="bad">large shift</span>';
  if (psi >= 0.1) return '<span class="warn">moderate shift</span>';
  return 'stable';
}

/** Population stability of each feature on the newest rows and calibration there: is the past still a guide? */
export function driftSection(drift: ModelCard['drift']): string {
  if (!drift) return section('drift', 'Drift', `<p data-testid="drift-status">${notComputed('Drift: not computed for this model.')}</p>`);
  if (!drift.checked) {
    return section(
      'drift',
      'Drift',
      `<p data-testid="drift-status">Drift: not checked${drift.warning ? ` — ${escapeHtml(drift.warning)}` : ''}.</p>`,
    );
  }
  const psi = [...drift.psi].sort((a, b) => b.psi - a.psi);
  const rows = psi
    .map(
      (e) =>
        `<tr><td class="feature-name">${nameHtml(e.feature)}</td><td class="num">${fixed(e.psi, 3)}</td><td>${psiBand(e.psi)}</td></tr>`,
    )
    .join('');
  const eceOk = drift.newestEce <= drift.eceBound;
  return section(
    'drift',
    'Drift',
    `<p data-testid="drift-status">Newest slice: ${escapeHtml(sliceText(drift.newestSlice))}. Calibration error there: ${fixed(drift.newestEce)} (bound ${fixed(drift.eceBound)}: ${
      eceOk ? 'within' : '<span class="bad">over the bound</span>'
    }).${drift.warning ? ` <strong class="bad">${escapeHtml(drift.warning)}</strong>` : ''}</p>` +
      `<p>Population stability index of each feature, newest slice against the rest (below 0.1 stable, 0.1–0.25 moderate, above 0.25 large).</p>` +
      `<table data-testid="drift-table"><thead><tr><th>feature</th><th class="num">PSI</th><th>reading</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}
