import { beforeAll, describe, expect, it } from 'vitest';
import { writeReportHtml } from './report-html.ts';
import { syntheticData } from './test-support/synthetic.ts';
import { trainModel } from './train.ts';
import type { ModelCard } from './types.ts';

/** The text of the element carrying data-testid (first match; cells apart, inline tags dropped, whitespace folded). */
function textOf(html: string, testId: string): string {
  const start = html.indexOf(`data-testid="${testId}"`);
  expect(start, `no element with data-testid ${testId}`).toBeGreaterThan(0);
  const tag = html.lastIndexOf('<', start);
  const name = /^<(\w+)/.exec(html.slice(tag))?.[1] as string;
  const end = html.indexOf(`</${name}>`, start);
  return html
    .slice(tag, end)
    .replace(/<\/?(wbr|span|strong|a)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c)))
    .replace(/\s+/g, ' ')
    .trim();
}

function reportOf(card: ModelCard): string {
  return writeReportHtml({
    title: 'model',
    summary: { rows: card.data.rows },
    calibration: card.holdout.calibration,
    lift: card.holdout.lift,
    importance: card.importance,
    figuresFrom: 'the test slice',
    card,
  });
}

describe('report.html sections', () => {
  let card: ModelCard;

  beforeAll(async () => {
    const data = syntheticData(1500, 5);
    // Trees only: the logistic regression was not a candidate, so the report must say it was not computed.
    card = (
      await trainModel({
        features: data.features,
        rows: data.rows,
        labels: data.labels,
        params: { maxIterations: 40 },
        candidates: ['gbdt'],
      })
    ).card;
  });

  it('sets the chosen model against the prevalence-only baseline, and says what was not computed', () => {
    const html = reportOf(card);
    const baseline = textOf(html, 'baseline-table');
    // The prevalence baseline's log loss on the hold-out: cross-entropy of its rate q against the training rate p.
    const p = card.slices.fit.positives / card.slices.fit.rows;
    const q = card.holdout.positives / card.holdout.rows;
    const expected = -(q * Math.log(p) + (1 - q) * Math.log(1 - p));
    expect(baseline).toContain(`prevalence only (every record gets ${(p * 100).toFixed(1)}%) the test slice 0.5000 ${expected.toFixed(4)}`);
    expect(baseline).toContain(
      `gradient-boosted trees (chosen) the test slice ${card.holdout.auc.toFixed(4)} ${card.holdout.logLoss.toFixed(4)}`,
    );
    expect(baseline).toContain('logistic regression (linear) not computed');
    expect(textOf(html, 'drift-status')).toBe('Drift: not computed for this model.');
    expect(textOf(html, 'excluded')).toContain('not recorded');
    expect(textOf(html, 'calibration-table')).toContain(`Calibration bins (${card.holdout.rows} rows)`);
  });

  it('renders the model selection and the drift check when the card carries them', () => {
    const withBoth: ModelCard = {
      ...card,
      selection: {
        chosen: 'logistic',
        validation: 'time',
        candidates: [
          { kind: 'gbdt', auc: 0.7712, logLoss: 0.5123 },
          { kind: 'logistic', auc: 0.7801, logLoss: 0.5011 },
        ],
      },
      drift: {
        checked: true,
        newestSlice: { rows: 300, positives: 90, timeFrom: Date.UTC(2025, 0, 1), timeTo: Date.UTC(2025, 2, 31) },
        psi: [
          { feature: 'noise', psi: 0.02 },
          { feature: 'up', psi: 0.31 },
          { feature: 'plan', psi: 0.12 },
        ],
        newestEce: 0.081,
        eceBound: 0.05,
        warning: 'the newest slice is calibrated worse than the bound: retrain on recent data',
      },
    };
    const html = reportOf(withBoth);
    expect(html).toContain('<strong>Chosen model:</strong> logistic regression (linear) — chosen over gradient-boosted trees');
    const baseline = textOf(html, 'baseline-table');
    expect(baseline).toContain('logistic regression (linear) (chosen) selection validation (newest rows) 0.7801 0.5011');
    expect(baseline).toContain('gradient-boosted trees selection validation (newest rows) 0.7712 0.5123');
    expect(baseline).not.toContain('not computed');
    const drift = textOf(html, 'drift-table');
    expect(drift).toBe('feature PSI reading up 0.310 large shift plan 0.120 moderate shift noise 0.020 stable');
    expect(textOf(html, 'drift-status')).toContain('300 rows, 90 positives (30.0%), time 2025-01-01 to 2025-03-31');
    expect(textOf(html, 'drift-status')).toContain('0.0810 (bound 0.0500: over the bound)');
    expect(textOf(html, 'warnings')).toContain('drift: the newest slice is calibrated worse than the bound');
  });

  it('is one self-contained file: escaped names, no external resources, figures as inert JSON', () => {
    const odd = '</td><script>alert(1)</script> & "quoted"';
    const html = reportOf({ ...card, importance: [{ feature: odd, gain: 1, splits: 3 }, ...card.importance] });
    expect(html).not.toContain('<script>alert');
    expect(textOf(html, 'importance-table')).toContain(odd);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<link|<img|@import|url\(/);
    const json = /<script type="application\/json" id="figures">(.*)<\/script>/s.exec(html)?.[1] as string;
    expect(JSON.parse(json).importance[0].feature).toBe(odd);
  });
});
