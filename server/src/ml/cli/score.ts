import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandIo, OptionValues } from '../../cli/command.ts';
import { UsageError } from '../../cli/command.ts';
import { BadInputError } from '../../errors/errors.ts';
import { columnIndex, recordsFromCsv } from '../csv/dataset.ts';
import { parseEncoding } from '../csv/decode.ts';
import { parseFeatureSpec } from '../feature-spec.ts';
import { loadScorer } from '../scorer.ts';
import type { Contribution } from '../types.ts';
import { intOption, readCsvFile, splitList, writeFileAtomically } from './io.ts';

async function readModel(dir: string) {
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch {
      throw new BadInputError(`${join(dir, name)}: no such file (is --model a folder written by 'closewise model train'?)`);
    }
  };
  const onnx = new Uint8Array(await read('model.onnx'));
  let spec: unknown;
  try {
    spec = JSON.parse((await read('feature-spec.json')).toString('utf8'));
  } catch (error) {
    if (error instanceof BadInputError) throw error;
    throw new BadInputError(`${join(dir, 'feature-spec.json')}: not valid JSON`);
  }
  return { onnx, featureSpec: parseFeatureSpec(spec, join(dir, 'feature-spec.json')) };
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function reasonText(c: Contribution): string {
  const missing = c.value === null || (typeof c.value === 'number' && Number.isNaN(c.value));
  const value = missing ? 'missing' : c.unseen ? `${String(c.value)} [unseen in training: scored as other]` : String(c.value);
  return `${c.feature} = ${value} (${c.contribution >= 0 ? 'raises' : 'lowers'} ${c.contribution >= 0 ? '+' : ''}${c.contribution.toFixed(2)} log-odds)`;
}

export async function runScore(values: OptionValues, io: CommandIo): Promise<number> {
  const modelDir = typeof values.model === 'string' ? values.model : undefined;
  const file = typeof values.csv === 'string' ? values.csv : undefined;
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (!modelDir || !file || !out) throw new UsageError('--model DIR, --csv FILE and --out FILE are required');
  const reasons = intOption(typeof values.reasons === 'string' ? values.reasons : undefined, 'reasons', 3, 0, 20);
  const bundle = await readModel(modelDir);
  const encoding = typeof values.encoding === 'string' ? parseEncoding(values.encoding) : 'utf-8';
  const table = await readCsvFile(file, encoding);
  for (const warning of table.warnings) io.stderr.write(`warning: ${warning}\n`);
  const records = recordsFromCsv(table, file, bundle.featureSpec.features, {
    formats: bundle.featureSpec.source?.columns,
    na: splitList(typeof values.na === 'string' ? values.na : undefined),
  });
  const idName = typeof values.id === 'string' ? values.id : table.header.find((h) => h.toLowerCase() === 'id');
  const idIndex = idName ? columnIndex(table, idName, file, 'id') : -1;
  const scorer = await loadScorer(bundle);
  const unseen = new Map<string, number>();
  const x = scorer.encode(records, unseen);
  const probabilities = await scorer.predictMatrix(x);
  const explanations =
    reasons > 0 ? scorer.explainMatrix(x, (i, f) => records[i]?.[bundle.featureSpec.features[f]?.name ?? ''] ?? null) : [];
  const header = [
    idIndex >= 0 ? (idName as string) : 'row',
    'probability',
    ...Array.from({ length: reasons }, (_, k) => `reason_${k + 1}`),
  ];
  const lines = [header.map(csvCell).join(',')];
  for (let i = 0; i < records.length; i++) {
    const id = idIndex >= 0 ? (table.rows[i]?.[idIndex] ?? '') : String(i + 1);
    const top = explanations[i]?.contributions.slice(0, reasons).map(reasonText) ?? [];
    while (top.length < reasons) top.push('');
    lines.push([id, (probabilities[i] as number).toFixed(6), ...top].map(csvCell).join(','));
  }
  await writeFileAtomically(out, `${lines.join('\n')}\n`);
  io.stdout.write(`scored ${records.length} rows → ${out}\n`);
  if (unseen.size > 0) {
    const counts = [...unseen].map(([feature, count]) => `${feature} ${count}`).join(', ');
    io.stderr.write(`values unseen in training, scored as the 'other' level: ${counts}\n`);
  }
  return 0;
}
