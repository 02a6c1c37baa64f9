import type { CalibrationBin, LiftDecile } from '../types.ts';

// Charts carry no names, only axes: every figure they show is also printed in a table beside them.
const W = 360;
const H = 300;
const PAD = 48;

const px = (v: number) => PAD + v * (W - 2 * PAD);
const py = (v: number) => H - PAD - v * (H - 2 * PAD);

function axes(xLabel: string, yLabel: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<text x="${px(t)}" y="${H - PAD + 14}" text-anchor="middle">${t}</text><text x="${PAD - 6}" y="${py(t) + 4}" text-anchor="end">${t}</text>`,
    )
    .join('');
  return `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#333"/><line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}" stroke="#333"/>${ticks}
<text x="${W / 2}" y="${H - 10}" text-anchor="middle">${xLabel}</text><text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">${yLabel}</text>
<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${PAD}" stroke="#aaa" stroke-dasharray="4 4"/>`;
}

/** Dots sized by their bin's row count, so a far-off dot on a handful of rows does not look alarming. */
export function calibrationChart(bins: CalibrationBin[]): string {
  const used = bins.filter((b) => b.count > 0);
  const most = Math.max(1, ...used.map((b) => b.count));
  const points = used.map((b) => `${px(b.meanPredicted).toFixed(1)},${py(b.observedRate).toFixed(1)}`).join(' ');
  const dots = used
    .map(
      (b) =>
        `<circle cx="${px(b.meanPredicted).toFixed(1)}" cy="${py(b.observedRate).toFixed(1)}" r="${(2.5 + 4 * Math.sqrt(b.count / most)).toFixed(1)}" fill-opacity="0.75"/>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Calibration curve: observed rate against mean predicted probability per bin">${axes('mean predicted probability', 'observed rate')}<polyline points="${points}" fill="none" stroke="#1f6feb" stroke-width="2"/><g fill="#1f6feb">${dots}</g></svg>`;
}

export function gainsChart(lift: LiftDecile[]): string {
  const points = [`${px(0)},${py(0)}`, ...lift.map((d) => `${px(d.decile / 10).toFixed(1)},${py(d.cumulativeGain).toFixed(1)}`)].join(' ');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Cumulative gains curve">${axes('share of records, highest scores first', 'share of positives found')}<polyline points="${points}" fill="none" stroke="#2da44e" stroke-width="2"/></svg>`;
}
