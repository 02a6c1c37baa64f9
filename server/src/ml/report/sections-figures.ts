import type { CalibrationBin, ImportanceEntry, LiftDecile } from '../types.ts';
import { calibrationChart, gainsChart } from './charts.ts';
import { escapeHtml, fixed, int, nameHtml, pct, section } from './format.ts';

/**
 * Every feature, each name in full in an HTML cell that wraps (long CRM property names are the rule, and a
 * clipped name is a name the reader cannot check).
 */
export function importanceSection(importance: ImportanceEntry[]): string {
  const max = Math.max(...importance.map((e) => e.gain), 1e-12);
  const unused = importance.filter((e) => e.gain === 0).length;
  const rows = importance
    .map(
      (e, i) =>
        `<tr><td class="num">${i + 1}</td><td class="feature-name">${nameHtml(e.feature)}</td>` +
        `<td class="bar-cell"><div class="bar" aria-hidden="true"><span style="width:${((e.gain / max) * 100).toFixed(1)}%"></span></div></td>` +
        `<td class="num">${pct(e.gain)}</td><td class="num">${int(e.splits)}</td></tr>`,
    )
    .join('\n');
  const lead = `<p>All ${int(importance.length)} features, by their share of the split gain summed over all trees${
    unused > 0 ? `; ${int(unused)} ${unused === 1 ? 'was' : 'were'} never used (no gain)` : ''
  }. Gain says what the trees used, not the direction of the effect.</p>`;
  return section(
    'importance',
    'Feature importance',
    `${lead}<table class="wide" data-testid="importance-table"><thead><tr><th class="num">#</th><th>feature</th><th>share of gain</th><th class="num">gain</th><th class="num">splits</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

export function calibrationTable(bins: CalibrationBin[]): string {
  const total = bins.reduce((a, b) => a + b.count, 0);
  const rows = bins
    .map((b) => {
      const empty = b.count === 0;
      const gap = b.observedRate - b.meanPredicted;
      return (
        `<tr><td class="num">${b.bin}</td><td class="num">${b.lower.toFixed(1)}–${b.upper.toFixed(1)}</td><td class="num count">${int(b.count)}</td>` +
        `<td class="num">${empty ? '–' : pct(b.meanPredicted)}</td><td class="num">${empty ? '–' : pct(b.observedRate)}</td>` +
        `<td class="num">${empty ? '–' : `${gap >= 0 ? '+' : '−'}${pct(Math.abs(gap))}`}</td></tr>`
      );
    })
    .join('\n');
  return `<table data-testid="calibration-table"><caption>Calibration bins (${int(total)} rows)</caption><thead><tr><th class="num">bin</th><th class="num">predicted range</th><th class="num">rows</th><th class="num">mean predicted</th><th class="num">observed rate</th><th class="num">observed − predicted</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function calibrationSection(bins: CalibrationBin[], figuresFrom: string): string {
  const total = bins.reduce((a, b) => a + b.count, 0);
  // The same figure as the metrics' ECE: the row-weighted mean |observed − predicted| over these bins.
  const ece = total > 0 ? bins.reduce((a, b) => a + b.count * Math.abs(b.observedRate - b.meanPredicted), 0) / total : Number.NaN;
  const lead = `<p>Figures from ${escapeHtml(figuresFrom)}. Each bin holds the records whose predicted probability falls in its range; a calibrated model's observed rate matches its mean prediction (the dashed diagonal). Bins on few rows are noisy: read the row counts. Expected calibration error over these bins (row-weighted mean gap): ${fixed(ece)}.</p>`;
  return section(
    'calibration',
    'Calibration',
    `${lead}<div class="pair"><figure>${calibrationChart(bins)}<figcaption>Observed rate against mean prediction; dot area grows with the bin's rows.</figcaption></figure>${calibrationTable(bins)}</div>`,
  );
}

export function liftSection(lift: LiftDecile[], figuresFrom: string): string {
  const rows = lift
    .map(
      (d) =>
        `<tr><td class="num">${d.decile}</td><td class="num">${int(d.rows)}</td><td class="num">${int(d.positives)}</td><td class="num">${pct(d.rate)}</td><td class="num">${fixed(d.lift, 2)}</td><td class="num">${pct(d.cumulativeGain)}</td></tr>`,
    )
    .join('\n');
  return section(
    'lift',
    'Lift and cumulative gains',
    `<p>Figures from ${escapeHtml(figuresFrom)}. Records sorted by score, highest first, in ten equal groups; lift is a group's positive rate over the overall rate.</p>` +
      `<div class="pair"><figure>${gainsChart(lift)}<figcaption>Share of positives found against share of records contacted, best scores first.</figcaption></figure>` +
      `<table data-testid="lift-table"><thead><tr><th class="num">decile</th><th class="num">rows</th><th class="num">positives</th><th class="num">rate</th><th class="num">lift</th><th class="num">cumulative gain</th></tr></thead><tbody>${rows}</tbody></table></div>`,
  );
}
