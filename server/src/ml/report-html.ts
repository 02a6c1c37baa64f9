import type { CalibrationBin, ImportanceEntry, LiftDecile } from './types.ts';

export interface ReportInput {
  title: string;
  /** Headline numbers shown in a table (name → value). */
  summary: Record<string, string | number>;
  calibration: CalibrationBin[];
  lift: LiftDecile[];
  importance: ImportanceEntry[];
  /** Shown under the title: where the figures come from (e.g. "5-fold CV, out-of-fold predictions"). */
  note?: string;
}

const W = 360;
const H = 300;
const PAD = 48;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function axes(xLabel: string, yLabel: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => {
      const x = PAD + t * (W - 2 * PAD);
      const y = H - PAD - t * (H - 2 * PAD);
      return `<text x="${x}" y="${H - PAD + 14}" text-anchor="middle">${t}</text><text x="${PAD - 6}" y="${y + 4}" text-anchor="end">${t}</text>`;
    })
    .join('');
  return `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#333"/><line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}" stroke="#333"/>${ticks}
<text x="${W / 2}" y="${H - 6}" text-anchor="middle">${xLabel}</text><text x="12" y="${H / 2}" transform="rotate(-90 12 ${H / 2})" text-anchor="middle">${yLabel}</text>
<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${PAD}" stroke="#aaa" stroke-dasharray="4 4"/>`;
}

const px = (v: number) => PAD + v * (W - 2 * PAD);
const py = (v: number) => H - PAD - v * (H - 2 * PAD);

function calibrationChart(bins: CalibrationBin[]): string {
  const used = bins.filter((b) => b.count > 0);
  const points = used.map((b) => `${px(b.meanPredicted).toFixed(1)},${py(b.observedRate).toFixed(1)}`).join(' ');
  const dots = used
    .map(
      (b) =>
        `<circle cx="${px(b.meanPredicted).toFixed(1)}" cy="${py(b.observedRate).toFixed(1)}" r="3.5"><title>${b.count} rows: predicted ${(b.meanPredicted * 100).toFixed(1)}%, observed ${(b.observedRate * 100).toFixed(1)}%</title></circle>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Calibration curve">${axes('mean predicted probability', 'observed rate')}<polyline points="${points}" fill="none" stroke="#1f6feb" stroke-width="2"/><g fill="#1f6feb">${dots}</g></svg>`;
}

function gainsChart(lift: LiftDecile[]): string {
  const points = [`${px(0)},${py(0)}`, ...lift.map((d) => `${px(d.decile / 10).toFixed(1)},${py(d.cumulativeGain).toFixed(1)}`)].join(' ');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Cumulative gains curve">${axes('share of records, highest scores first', 'share of positives found')}<polyline points="${points}" fill="none" stroke="#2da44e" stroke-width="2"/></svg>`;
}

function importanceChart(importance: ImportanceEntry[]): string {
  const top = importance.slice(0, 15);
  const max = Math.max(...top.map((e) => e.gain), 1e-12);
  const rowH = 20;
  const height = top.length * rowH + 10;
  const bars = top
    .map((e, i) => {
      const width = (e.gain / max) * 220;
      return `<text x="130" y="${i * rowH + 15}" text-anchor="end">${escapeHtml(e.feature)}</text><rect x="136" y="${i * rowH + 4}" width="${width.toFixed(1)}" height="14" fill="#8250df"/><text x="${(140 + width).toFixed(1)}" y="${i * rowH + 15}">${(e.gain * 100).toFixed(1)}%</text>`;
    })
    .join('');
  return `<svg viewBox="0 0 420 ${height}" role="img" aria-label="Feature importance (share of split gain)">${bars}</svg>`;
}

/** A self-contained HTML page (inline SVG, no scripts to run) with the figures also embedded as JSON. */
export function writeReportHtml(report: ReportInput): string {
  const summaryRows = Object.entries(report.summary)
    .map(
      ([k, v]) =>
        `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v)}</td></tr>`,
    )
    .join('');
  const liftRows = report.lift
    .map(
      (d) =>
        `<tr><td>${d.decile}</td><td>${d.rows}</td><td>${d.positives}</td><td>${(d.rate * 100).toFixed(1)}%</td><td>${d.lift.toFixed(2)}</td><td>${(d.cumulativeGain * 100).toFixed(1)}%</td></tr>`,
    )
    .join('');
  const figures = JSON.stringify({ calibration: report.calibration, lift: report.lift, importance: report.importance }).replace(
    /</g,
    '\\u003c',
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1f2328;max-width:1200px}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}th,td{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}th{text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:24px}.charts figure{margin:0}svg{width:${W}px;font-size:11px}figcaption{font-weight:600;margin-bottom:4px}</style></head>
<body><h1>${escapeHtml(report.title)}</h1>${report.note ? `<p>${escapeHtml(report.note)}</p>` : ''}
<table>${summaryRows}</table>
<div class="charts">
<figure><figcaption>Calibration (10 bins)</figcaption>${calibrationChart(report.calibration)}</figure>
<figure><figcaption>Cumulative gains</figcaption>${gainsChart(report.lift)}</figure>
<figure><figcaption>Feature importance</figcaption><div style="width:420px">${importanceChart(report.importance)}</div></figure>
</div>
<h2>Lift by decile</h2><table><tr><th>decile</th><th>rows</th><th>positives</th><th>rate</th><th>lift</th><th>cumulative gain</th></tr>${liftRows}</table>
<script type="application/json" id="figures">${figures}</script>
</body></html>
`;
}
