import type { RawTable } from './table.ts';
import type { ColumnProfile } from './types.ts';

/** Type and missing share of every feature over all rows, for the model card's data section. */
export function profileColumns(table: RawTable): ColumnProfile[] {
  return table.features.map((feature, f) => {
    const numeric = table.numeric[f];
    if (numeric) {
      let missing = 0;
      for (let i = 0; i < table.n; i++) if (Number.isNaN(numeric[i] as number)) missing++;
      return { feature: feature.name, type: 'numeric', missingShare: table.n > 0 ? missing / table.n : 0 };
    }
    const column = table.categorical[f];
    let missing = 0;
    if (column) for (let i = 0; i < table.n; i++) if ((column.codes[i] as number) < 0) missing++;
    return {
      feature: feature.name,
      type: 'categorical',
      missingShare: table.n > 0 ? missing / table.n : 0,
      levels: column?.dictionary.length ?? 0,
    };
  });
}
