import { COMPETITORS, LEAD_SOURCES, PRODUCT_INTERESTS } from './planted-model.ts';
import type { SeedCustomProperty } from './portal-data.ts';

/** "trade_show" → "Trade show": the label an admin would give each internal value. */
function labelsOf(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(values.map((v) => [v, `${v[0]?.toUpperCase()}${v.slice(1).replaceAll('_', ' ')}`]));
}

/** The portal's custom properties: each carries real signal in the planted model. */
export const CUSTOM_PROPERTIES: SeedCustomProperty[] = [
  {
    objectType: 'contact',
    name: 'lead_source_detail',
    label: 'Lead source (detail)',
    type: 'enumeration',
    fieldType: 'select',
    options: [...LEAD_SOURCES],
    optionLabels: labelsOf(LEAD_SOURCES),
  },
  {
    objectType: 'contact',
    name: 'product_interest',
    label: 'Product interest',
    type: 'enumeration',
    fieldType: 'select',
    options: [...PRODUCT_INTERESTS],
    optionLabels: labelsOf(PRODUCT_INTERESTS),
  },
  { objectType: 'contact', name: 'seats_requested', label: 'Seats requested', type: 'number', fieldType: 'number' },
  {
    objectType: 'deal',
    name: 'competitor_involved',
    label: 'Competitor involved',
    type: 'enumeration',
    fieldType: 'select',
    options: [...COMPETITORS],
    optionLabels: labelsOf(COMPETITORS),
  },
];
