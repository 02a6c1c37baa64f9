import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { main } from '@closewise/server/cli/main';
import { writeReportHtml } from '@closewise/server/ml/report-html';
import { createRng } from '@closewise/server/ml/rng';
import type { ModelCard } from '@closewise/server/ml/types';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from './test-support/browser.ts';
import { checkNames, horizontalOverflow } from './test-support/layout-checks.ts';

/**
 * report.html of `closewise model train` in real Chromium at 1280 px: every feature name must be in the page in
 * full (an analyst cannot check a clipped name), and the calibration bins' row counts must be printed.
 */

// CRM exports are full of long property names; 30 of them, all over 40 characters, some with spaces.
const NUMERIC = Array.from({ length: 24 }, (_, k) =>
  k % 3 === 0
    ? `Number of sales activities logged in the last ${k + 7} days`
    : `hs_analytics_deal_property_with_a_long_internal_name_${String(k).padStart(2, '0')}`,
);
const CATEGORICAL = Array.from({ length: 6 }, (_, k) => `Deal pipeline stage reported by the integration (source ${k + 1})`);
const FEATURES = [...NUMERIC, ...CATEGORICAL];
const LEAK = 'closed_won_reason_filled_in_after_the_outcome';
const ROWS = 2500;

/** Signal in the first few columns, missing cells in every fifth numeric column, a rare level in each categorical one. */
function writeCsv(file: string): void {
  const rng = createRng(11);
  const lines = [[...FEATURES, LEAK, 'created_at', 'won'].map((h) => `"${h}"`).join(',')];
  const day0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < ROWS; i++) {
    const numbers = NUMERIC.map(() => rng() * 10);
    const levels = CATEGORICAL.map(() =>
      i % 401 === 7 ? `one-off level ${i}` : ['new', 'qualified', 'proposal', 'negotiation'][Math.floor(rng() * 4)],
    );
    const margin = 0.6 * ((numbers[0] as number) - 5) - 0.4 * ((numbers[1] as number) - 5) + (levels[0] === 'negotiation' ? 1 : 0);
    const won = rng() < 1 / (1 + Math.exp(-margin));
    const cells = [
      ...numbers.map((v, k) => (k % 5 === 4 && rng() < 0.12 ? '' : v.toFixed(3))),
      ...levels.map((l) => `"${l}"`),
      won ? 'Closed won: champion signed' : '',
      new Date(day0 + i * 3_600_000).toISOString().slice(0, 10),
      won ? 'yes' : 'no',
    ];
    lines.push(cells.join(','));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

async function cli(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d) => (err += d));
  stdout.resume();
  const code = await main(argv, { stdout, stderr, env: {} });
  return { code, err };
}

describe('model train report.html in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let card: ModelCard;
  let reportUrl: string;
  let modelDir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-report-'));
    const csv = join(dir, 'long-names.csv');
    writeCsv(csv);
    const out = join(dir, 'model');
    const trained = await cli(
      'model',
      'train',
      '--csv',
      csv,
      '--target',
      'won',
      '--drop',
      LEAK,
      '--time',
      'created_at',
      '--folds',
      '0',
      '--out',
      out,
    );
    expect(trained.err).not.toMatch(/closewise:/);
    expect(trained.code).toBe(0);
    card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8'));
    reportUrl = pathToFileURL(join(out, 'report.html')).href;
    modelDir = out;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows every one of the 30 long feature names in full at 1280 px, and prints the calibration counts', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The report is self-contained: any request but the file itself is a bug.
    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.url() !== reportUrl) requests.push(request.url());
    });
    await page.goto(reportUrl);
    const file = screenshotPath('model-report-1280.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(20_000);

    expect(FEATURES.every((name) => name.length >= 40)).toBe(true);
    const checks = await checkNames(page, FEATURES);
    expect(checks.filter((c) => c.found === 0).map((c) => c.name)).toEqual([]);
    expect(checks.flatMap((c) => c.problems.map((p) => `${c.name}: ${p}`))).toEqual([]);
    expect(await horizontalOverflow(page)).toBe(0);
    // Importance lists all 30, in the card's order, and says so.
    const importanceNames = await page.locator('[data-testid=importance-table] td.feature-name').allTextContents();
    expect(importanceNames).toEqual(card.importance.map((e) => e.feature));
    expect(await page.locator('#importance').textContent()).toContain('All 30 features');

    // Calibration: every bin's row count as printed text, summing to the hold-out rows.
    const counts = await page.locator('[data-testid=calibration-table] tbody td.count').allInnerTexts();
    expect(counts).toEqual(card.holdout.calibration.map((b) => b.count.toLocaleString('en-US')));
    expect(card.holdout.calibration.reduce((a, b) => a + b.count, 0)).toBe(card.holdout.rows);

    // Baselines, data and drift sections say what they know, and "not computed" for what the card lacks.
    const baseline = (await page.locator('[data-testid=baseline-table]').textContent()) ?? '';
    expect(baseline).toContain('prevalence only');
    // Both candidates were fitted: the linear model's validation figures stand next to the chosen model.
    const logistic = card.selection.candidates.find((c) => c.kind === 'logistic');
    expect(logistic).toBeDefined();
    expect(baseline).toContain(`${logistic?.auc.toFixed(4)}${logistic?.logLoss.toFixed(4)}`);
    const excluded = (await page.locator('[data-testid=excluded]').textContent()) ?? '';
    expect(excluded).toContain(LEAK);
    expect(excluded).toContain('created_at');
    const columns = (await page.locator('[data-testid=columns-table]').textContent()) ?? '';
    const missing = card.columns?.find((c) => c.feature === NUMERIC[4]);
    expect(missing?.missingShare).toBeGreaterThan(0.05);
    expect(columns).toContain(`${((missing?.missingShare ?? 0) * 100).toFixed(1)}%`);
    expect(columns).toMatch(/levels on \d+ training rows/);
    expect(await page.getByTestId('drift-status').textContent()).toContain('not computed');
    expect(requests).toEqual([]);
    await page.close();
  });

  it('with a model selection and a drift check on the card, the PSI table names every feature in full', async () => {
    // Other parts of training fill selection and drift; here they are set on the trained card by hand.
    const withDrift: ModelCard = {
      ...card,
      selection: {
        chosen: 'gbdt',
        validation: 'time',
        candidates: [
          { kind: 'gbdt', auc: card.holdout.auc, logLoss: card.holdout.logLoss },
          { kind: 'logistic', auc: 0.8123, logLoss: 0.5012 },
        ],
      },
      drift: {
        checked: true,
        newestSlice: card.slices.test,
        psi: FEATURES.map((feature, k) => ({ feature, psi: k === 3 ? 0.31 : k / 300 })),
        newestEce: 0.07,
        eceBound: 0.05,
        warning: 'calibration on the newest rows is over the bound: retrain on recent data',
      },
    };
    const spec = JSON.parse(readFileSync(join(modelDir, 'feature-spec.json'), 'utf8'));
    const file = join(modelDir, 'report-with-drift.html');
    writeFileSync(
      file,
      writeReportHtml({
        title: 'with selection and drift',
        summary: { rows: card.data.rows },
        calibration: card.holdout.calibration,
        lift: card.holdout.lift,
        importance: card.importance,
        figuresFrom: 'the test slice',
        card: withDrift,
        formats: spec.source.columns,
      }),
    );
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await page.screenshot({ path: screenshotPath('model-report-drift-1280.png'), fullPage: true });
    const psiNames = await page.locator('[data-testid=drift-table] td.feature-name').allTextContents();
    expect(psiNames).toHaveLength(30);
    expect(psiNames[0]).toBe(FEATURES[3]);
    const checks = await checkNames(page, FEATURES);
    expect(checks.flatMap((c) => c.problems.map((p) => `${c.name}: ${p}`))).toEqual([]);
    // Each name in the importance, data and drift tables.
    expect(checks.map((c) => c.found)).toEqual(FEATURES.map(() => 3));
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await page.getByTestId('baseline-table').textContent()).toContain('0.8123');
    expect(await page.getByTestId('warnings').textContent()).toContain('drift: calibration on the newest rows is over the bound');
    await page.close();
  });

  it('prints on A4 with the names still whole', async () => {
    const page = await browser.newPage({ viewport: { width: 720, height: 1000 } });
    await page.goto(reportUrl);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: screenshotPath('model-report-print.png'), fullPage: true });
    const checks = await checkNames(page, FEATURES);
    expect(checks.filter((c) => c.found === 0).map((c) => c.name)).toEqual([]);
    expect(checks.flatMap((c) => c.problems.map((p) => `${c.name}: ${p}`))).toEqual([]);
    expect(await horizontalOverflow(page)).toBe(0);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });
});
