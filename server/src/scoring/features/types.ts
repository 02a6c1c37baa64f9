import type { TenantData } from '../tenant-data.ts';

/** A feature as the scoring core knows it: its model name, type, the source it comes from (reasons are grouped by it) and a label for people. */
export interface FeatureInfo {
  name: string;
  kind: 'numeric' | 'categorical';
  source: string;
  label: string;
}

export type FeatureValue = number | string | null;
export type FeatureRow = Record<string, FeatureValue>;

/** What deciding a model's feature list needs: the portal's custom fields and its exclusions. */
export type FeatureCatalogData = Pick<TenantData, 'customFields' | 'settings'>;
