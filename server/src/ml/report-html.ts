import type { ColumnFormat } from './csv/column-format.ts';
import { escapeHtml, fixed, int, notComputed, section } from './report/format.ts';
import { dataSection } from './report/sections-data.ts';
import { calibrationSection, importanceSection, liftSection } from './report/sections-figures.ts';
import { baselineSection, driftSection, type Measured, measuredFromCard, summarySection, warningsBlock } from './report/sections-model.ts';
import { REPORT_CSS } from './report/style.ts';
import type { CalibrationBin, ImportanceEntry, LiftDecile, ModelCard } from './types.ts';

export type { Measured } from './report/sections-model.ts';

export interface ReportInput {
  title: string;
  /** Headline numbers shown in a table (name → value). */
  summary: Record<string, string | number>;
  calibration: CalibrationBin[];
  lift: LiftDecile[];
  importance: ImportanceEntry[];
  /** Shown under the title: where the figures come from (e.g. "5-fold CV, out-of-fold predictions"). */
  note?: string;
  /** Where the calibration and lift figures come from, said above each ("the test slice, 1,200 rows"). */
  figuresFrom?: string;
  /** A trained model's card: adds the chosen model, the baselines, the data and the drift sections. */
  card?: ModelCard;
  /** How the training file's columns were read (feature spec `source.columns`), for the data section. */
  formats?: Record<string, ColumnFormat>;
  /** Without a card (cross-validation): the figures the baselines are set against. */
  measured?: Measured;
}

function runDetails(summary: ReportInput['summary']): string {
  const rows = Object.entries(summary)
    .map(
      ([k, v]) =>
        `<tr><th>${escapeHtml(k)}</th><td class="num">${escapeHtml(typeof v === 'number' ? (Number.isInteger(v) ? int(v) : fixed(v)) : v)}</td></tr>`,
    )
    .join('');
  return `<table data-testid="run-details"><caption>Run details</caption><tbody>${rows}</tbody></table>`;
}

const TOC: [string, string][] = [
  ['summary', 'Summary'],
  ['baseline', 'Baselines'],
  ['importance', 'Importance'],
  ['calibration', 'Calibration'],
  ['lift', 'Lift'],
  ['data', 'Data'],
  ['drift', 'Drift'],
];

/** A self-contained HTML page (inline CSS and SVG, no scripts to run) with the figures also embedded as JSON. */
export function writeReportHtml(report: ReportInput): string {
  const { card } = report;
  const figuresFrom = report.figuresFrom ?? 'the evaluation rows';
  const measured = card ? measuredFromCard(card) : report.measured;
  const chosenLabel = card?.selection?.chosen === 'logistic' ? 'logistic regression' : 'gradient-boosted trees';
  const warnings = [...(card?.warnings ?? []), ...(card?.drift?.warning ? [`drift: ${card.drift.warning}`] : [])];
  const sections = [
    card ? summarySection(card, runDetails(report.summary)) : section('summary', 'Summary', runDetails(report.summary)),
    measured
      ? baselineSection(measured, card?.selection, chosenLabel)
      : section('baseline', 'Baselines', `<p>${notComputed('Baselines: not computed.')}</p>`),
    importanceSection(report.importance),
    calibrationSection(report.calibration, figuresFrom),
    liftSection(report.lift, figuresFrom),
    card
      ? dataSection(card, report.formats)
      : section('data', 'Data', `<p>${notComputed('Data profile: not computed here (model train writes it).')}</p>`),
    card ? driftSection(card.drift) : section('drift', 'Drift', `<p data-testid="drift-status">${notComputed('Drift: not computed.')}</p>`),
  ];
  const figures = JSON.stringify({ calibration: report.calibration, lift: report.lift, importance: report.importance }).replace(
    /</g,
    '\\u003c',
  );
  const toc = TOC.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${REPORT_CSS}</style></head>
<body><main>
<header><h1>${escapeHtml(report.title)}</h1>${report.note ? `<p>${escapeHtml(report.note)}</p>` : ''}<nav class="toc">${toc}</nav></header>
${warningsBlock(warnings)}
${sections.join('\n')}
</main>
<script type="application/json" id="figures">${figures}</script>
</body></html>
`;
}
