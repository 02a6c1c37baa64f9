import { type ColumnFormat, describeFormat } from '../csv/column-format.ts';
import type { ModelCard, SliceInfo } from '../types.ts';
import { escapeHtml, int, nameHtml, notComputed, pct, section, sliceText } from './format.ts';

function slicesTable(card: ModelCard): string {
  const purpose: [string, string, SliceInfo][] = [
    ['fit', 'trees are grown on these rows', card.slices.fit],
    ['early stopping', 'decides when to stop adding trees', card.slices.earlyStopping],
    ['calibration', 'probabilities are calibrated on these rows', card.slices.calibration],
    ['test', 'untouched: the hold-out figures', card.slices.test],
  ];
  const rows = purpose
    .map(
      ([name, what, slice]) =>
        `<tr><td>${name}</td><td>${what}</td><td>${escapeHtml(slice.rows > 0 ? sliceText(slice) : 'none')}</td></tr>`,
    )
    .join('');
  const shared = card.data.calibrationRows === 0 ? ' Calibration shares the early-stopping rows (calibration fraction 0).' : '';
  return `<p>${int(card.data.rows)} rows, ${int(card.data.positives)} positives (${pct(card.data.positiveRate)}), ${int(card.data.features)} features; slices ${
    card.slices.by === 'time' ? 'by time (the newest rows are held out)' : 'stratified at random'
  }.${shared}</p><table class="wide" data-testid="slices-table"><thead><tr><th>slice</th><th>purpose</th><th>rows</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function excludedBlock(excluded: ModelCard['excluded']): string {
  const title = '<h3>Columns that are not features</h3>';
  if (!excluded) return `${title}<p data-testid="excluded">${notComputed('not recorded by the caller that trained this model')}</p>`;
  if (excluded.length === 0) return `${title}<p data-testid="excluded">None: every column is a feature.</p>`;
  const rows = excluded
    .map((e) => `<tr><td class="feature-name">${nameHtml(e.feature)}</td><td>${escapeHtml(e.reason)}</td></tr>`)
    .join('');
  return `${title}<table class="wide" data-testid="excluded"><thead><tr><th>column</th><th>why it is not a feature</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Per feature: inferred type, how the file's cells were read, missing share, levels and those pooled into "other". */
function columnsTable(card: ModelCard, formats: Record<string, ColumnFormat> | undefined): string {
  const other = new Map(card.otherLevels.map((o) => [o.feature, o]));
  const profiles =
    card.columns ?? card.importance.map((e) => ({ feature: e.feature, type: undefined, missingShare: undefined, levels: undefined }));
  const rows = profiles
    .map((c) => {
      const format = formats?.[c.feature];
      const pooled = other.get(c.feature);
      const missing = c.missingShare === undefined ? '–' : c.missingShare > 0 ? `<strong>${pct(c.missingShare)}</strong>` : '0%';
      return (
        `<tr><td class="feature-name">${nameHtml(c.feature)}</td><td>${c.type ?? '–'}</td><td>${format ? escapeHtml(describeFormat(format)) : '–'}</td>` +
        `<td class="num">${missing}</td><td class="num">${c.levels === undefined ? '' : int(c.levels)}</td>` +
        `<td>${pooled ? `${int(pooled.levels)} levels on ${int(pooled.rows)} training rows` : c.type === 'categorical' ? 'none' : ''}</td></tr>`
      );
    })
    .join('\n');
  return `<table class="wide" data-testid="columns-table"><thead><tr><th>feature</th><th>type</th><th>read from the file as</th><th class="num">missing</th><th class="num">levels</th><th>rare levels pooled into "other"</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function dataSection(card: ModelCard, formats: Record<string, ColumnFormat> | undefined): string {
  const { minCategoryCount, maxCategories } = card.params;
  const unseen = `<p>Categorical levels on fewer than ${int(minCategoryCount)} training rows, and beyond the ${int(maxCategories)} most frequent, are pooled into the column's "other" level; levels never seen in training are scored as "other" too (the scorer counts them). Missing values take the branch the trees learned for missing.</p>`;
  return section(
    'data',
    'Data',
    `${slicesTable(card)}${excludedBlock(card.excluded)}<h3>Features</h3>${unseen}${columnsTable(card, formats)}`,
  );
}
