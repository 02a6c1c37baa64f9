import { defaultScoringSettings } from '../settings.ts';
import type { TenantData } from '../tenant-data.ts';
import { contactFeatureInfo } from './contact-features.ts';
import { dealFeatureInfo } from './deal-features.ts';

/** One input an admin can exclude: the source field all its features come from (what `excludedFields` matches). */
export interface ModelInput {
  source: string;
  label: string;
  objectType: 'deal' | 'contact' | 'company' | 'owner' | 'activity';
}

function objectTypeOfSource(source: string, customFields: TenantData['customFields']): ModelInput['objectType'] {
  if (source.startsWith('custom:'))
    return customFields.find((f) => `custom:${f.name}` === source)?.objectType === 'deal' ? 'deal' : 'contact';
  const prefix = source.split('.')[0];
  if (prefix === 'engagement') return 'activity';
  return prefix === 'deal' || prefix === 'contact' || prefix === 'company' || prefix === 'owner' ? prefix : 'deal';
}

const capitalised = (label: string) => label.charAt(0).toUpperCase() + label.slice(1);

/**
 * Every input any of the four models may use — standard fields, activities and the portal's custom
 * properties — before exclusions: what the settings page offers to exclude. Built from the same feature
 * lists training uses, so the page cannot offer a field the models never read or miss one they do.
 */
export function modelInputCatalog(customFields: TenantData['customFields']): ModelInput[] {
  const data = { customFields, settings: { ...defaultScoringSettings, excludedFields: [] } };
  const bySource = new Map<string, ModelInput>();
  for (const info of [...dealFeatureInfo(data), ...contactFeatureInfo(data)]) {
    if (bySource.has(info.source)) continue;
    const custom = customFields.find((f) => `custom:${f.name}` === info.source);
    bySource.set(info.source, {
      source: info.source,
      label: custom ? custom.label : capitalised(info.label),
      objectType: objectTypeOfSource(info.source, customFields),
    });
  }
  return [...bySource.values()].sort((a, b) => a.objectType.localeCompare(b.objectType) || a.label.localeCompare(b.label));
}
