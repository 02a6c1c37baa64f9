import type { ObjectType } from '../../store/schema.ts';
import type { ScoreFields } from '../connector.ts';

/**
 * ScoreFields (neutral) → the Closewise fields the DX package deploys (salesforce-lwc/force-app/.../objects).
 * Percent fields hold 0–100 with one decimal, as the field metadata declares (precision 5, scale 1).
 */
export type ScoredSObject = 'Opportunity' | 'Lead' | 'Contact' | 'Account';
export type FieldValue = string | number | null;

export const CLOSEWISE_FIELDS: Record<ScoredSObject, string[]> = {
  Opportunity: [
    'Closewise_Win_Probability__c',
    'Closewise_Deal_Score__c',
    'Closewise_Trend__c',
    'Closewise_Top_Reasons__c',
    'Closewise_Next_Action__c',
    'Closewise_Scored_At__c',
  ],
  Lead: [
    'Closewise_Likelihood_To_Close__c',
    'Closewise_Priority__c',
    'Closewise_Lead_Grade__c',
    'Closewise_Trend__c',
    'Closewise_Top_Reasons__c',
    'Closewise_Next_Action__c',
    'Closewise_Scored_At__c',
  ],
  Contact: [
    'Closewise_Likelihood_To_Close__c',
    'Closewise_Priority__c',
    'Closewise_Lead_Grade__c',
    'Closewise_Trend__c',
    'Closewise_Top_Reasons__c',
    'Closewise_Next_Action__c',
    'Closewise_Scored_At__c',
  ],
  Account: ['Closewise_Engagement_Level__c', 'Closewise_Next_Action__c', 'Closewise_Scored_At__c'],
};

/** Stamped on every write; a change of it alone is not worth an API call. */
export const SCORED_AT_FIELD = 'Closewise_Scored_At__c';

const PRIORITY = { very_high: 'Very High', high: 'High', medium: 'Medium', low: 'Low' } as const;
const TREND = { up: 'Improving', steady: 'Steady', down: 'Declining' } as const;
const ENGAGEMENT = { high: 'High', medium: 'Medium', lonely: 'Lonely' } as const;

const percent = (p: number): number => Math.round(Math.min(1, Math.max(0, p)) * 1000) / 10;
/** Long text areas hold 32,768 characters; text fields 255. */
const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Which sObject a neutral record lives in: people are Contacts (003) or Leads (00Q) by id prefix. */
export function sObjectOf(objectType: ObjectType, externalId: string): ScoredSObject {
  if (objectType === 'deal') return 'Opportunity';
  if (objectType === 'company') return 'Account';
  return externalId.startsWith('00Q') ? 'Lead' : 'Contact';
}

export function toSalesforceFields(object: ScoredSObject, fields: ScoreFields): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  if (object === 'Opportunity') {
    if (fields.winProbability !== undefined) out.Closewise_Win_Probability__c = percent(fields.winProbability);
    if (fields.dealScore !== undefined) out.Closewise_Deal_Score__c = String(fields.dealScore);
  }
  if (object === 'Lead' || object === 'Contact') {
    if (fields.likelihoodToClose !== undefined) out.Closewise_Likelihood_To_Close__c = percent(fields.likelihoodToClose);
    if (fields.priority !== undefined) out.Closewise_Priority__c = PRIORITY[fields.priority];
    if (fields.leadGrade !== undefined) out.Closewise_Lead_Grade__c = clip(fields.leadGrade, 10);
  }
  if (object === 'Account' && fields.engagementLevel !== undefined) out.Closewise_Engagement_Level__c = ENGAGEMENT[fields.engagementLevel];
  if (object !== 'Account') {
    if (fields.trend !== undefined) out.Closewise_Trend__c = TREND[fields.trend];
    if (fields.topReasons !== undefined) out.Closewise_Top_Reasons__c = clip(fields.topReasons, 32_768);
  }
  if (fields.nextAction !== undefined) out.Closewise_Next_Action__c = clip(fields.nextAction, 255);
  if (fields.scoredAt !== undefined) out.Closewise_Scored_At__c = fields.scoredAt.toISOString();
  return out;
}

/** Whether a value read back from Salesforce equals the one we would write (numbers and datetimes normalised). */
export function sameValue(current: unknown, next: FieldValue): boolean {
  if (current === undefined || current === null || current === '') return next === null || next === '';
  if (typeof next === 'number') return Math.abs(Number(current) - next) < 1e-9;
  if (typeof next === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(next) && typeof current === 'string') {
    return Date.parse(current.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) === Date.parse(next);
  }
  return String(current) === next;
}
