import type { ScoreFields } from '../connector.ts';

/** The property group and properties Closewise creates in a portal; marketers filter lists and views by them. */
export const CLOSEWISE_GROUP = { name: 'closewise', label: 'Closewise' } as const;

export type HubSpotObjectType = 'contacts' | 'companies' | 'deals';

export interface PropertyDefinition {
  name: string;
  label: string;
  description: string;
  type: 'string' | 'number' | 'enumeration' | 'datetime';
  fieldType: 'text' | 'textarea' | 'number' | 'select' | 'date';
  options?: { label: string; value: string; displayOrder: number }[];
}

const options = (values: [string, string][]) => values.map(([value, label], displayOrder) => ({ value, label, displayOrder }));

const TREND: PropertyDefinition = {
  name: 'closewise_score_trend',
  label: 'Closewise score trend',
  description: 'Direction of the score since the previous scoring.',
  type: 'enumeration',
  fieldType: 'select',
  options: options([
    ['up', 'Up'],
    ['steady', 'Steady'],
    ['down', 'Down'],
  ]),
};
const TOP_REASONS: PropertyDefinition = {
  name: 'closewise_top_reasons',
  label: 'Closewise top reasons',
  description: 'The strongest reasons behind the score, most important first.',
  type: 'string',
  fieldType: 'textarea',
};
const NEXT_ACTION: PropertyDefinition = {
  name: 'closewise_next_action',
  label: 'Closewise next action',
  description: 'The most useful next step for this record.',
  type: 'string',
  fieldType: 'text',
};
const SCORED_AT: PropertyDefinition = {
  name: 'closewise_scored_at',
  label: 'Closewise scored at',
  description: 'When Closewise last scored this record.',
  type: 'datetime',
  fieldType: 'date',
};

const GRADES = ['A', 'B', 'C', 'D'].flatMap((fit) => [1, 2, 3, 4].map((engagement) => `${fit}${engagement}`));

export const CLOSEWISE_PROPERTIES: Record<HubSpotObjectType, PropertyDefinition[]> = {
  contacts: [
    {
      name: 'closewise_likelihood_to_close',
      label: 'Closewise likelihood to close',
      description: 'Calibrated % chance this contact becomes a customer within 90 days.',
      type: 'number',
      fieldType: 'number',
    },
    {
      name: 'closewise_contact_priority',
      label: 'Closewise contact priority',
      description: "Quartile of the portal's likelihoods to close: very high is the top 25%.",
      type: 'enumeration',
      fieldType: 'select',
      options: options([
        ['very_high', 'Very high'],
        ['high', 'High'],
        ['medium', 'Medium'],
        ['low', 'Low'],
      ]),
    },
    {
      name: 'closewise_lead_grade',
      label: 'Closewise lead grade',
      description: 'Profile fit A (best) to D times engagement 1 (most) to 4.',
      type: 'enumeration',
      fieldType: 'select',
      options: options(GRADES.map((grade) => [grade, grade])),
    },
    TREND,
    TOP_REASONS,
    NEXT_ACTION,
    SCORED_AT,
  ],
  deals: [
    {
      name: 'closewise_win_probability',
      label: 'Closewise win probability',
      description: 'Calibrated % chance this deal is won.',
      type: 'number',
      fieldType: 'number',
    },
    {
      name: 'closewise_deal_score',
      label: 'Closewise deal score',
      description: '1 (very low) to 5 (very high) chance of winning.',
      type: 'enumeration',
      fieldType: 'select',
      options: options(['1', '2', '3', '4', '5'].map((score) => [score, score])),
    },
    TREND,
    TOP_REASONS,
    NEXT_ACTION,
    SCORED_AT,
  ],
  companies: [
    {
      name: 'closewise_engagement_level',
      label: 'Closewise engagement level',
      description: 'High, medium, or lonely (no activity for a quarter of the average sales cycle).',
      type: 'enumeration',
      fieldType: 'select',
      options: options([
        ['high', 'High'],
        ['medium', 'Medium'],
        ['lonely', 'Lonely'],
      ]),
    },
    NEXT_ACTION,
    SCORED_AT,
  ],
};

/** HubSpot's plural object names by neutral type, for the property lists above. */
const PLURAL = { deal: 'deals', contact: 'contacts', company: 'companies' } as const satisfies Record<string, HubSpotObjectType>;

/** The names of Closewise's properties on one object type: what a sync reads back to check they still hold. */
export function closewisePropertyNames(objectType: keyof typeof PLURAL): string[] {
  return CLOSEWISE_PROPERTIES[PLURAL[objectType]].map((p) => p.name);
}

/** Percent with one decimal: what a rep reads and what a list filter compares. */
const percent = (probability: number) => (Math.round(probability * 1000) / 10).toString();

/** Neutral score fields → HubSpot property values (strings, as the API takes them). */
export function toHubSpotProperties(fields: ScoreFields): Record<string, string> {
  const out: Record<string, string> = {};
  if (fields.winProbability !== undefined) out.closewise_win_probability = percent(fields.winProbability);
  if (fields.dealScore !== undefined) out.closewise_deal_score = String(fields.dealScore);
  if (fields.likelihoodToClose !== undefined) out.closewise_likelihood_to_close = percent(fields.likelihoodToClose);
  if (fields.priority !== undefined) out.closewise_contact_priority = fields.priority;
  if (fields.leadGrade !== undefined) out.closewise_lead_grade = fields.leadGrade;
  if (fields.engagementLevel !== undefined) out.closewise_engagement_level = fields.engagementLevel;
  if (fields.trend !== undefined) out.closewise_score_trend = fields.trend;
  if (fields.topReasons !== undefined) out.closewise_top_reasons = fields.topReasons;
  if (fields.nextAction !== undefined) out.closewise_next_action = fields.nextAction;
  if (fields.scoredAt !== undefined) out.closewise_scored_at = fields.scoredAt.toISOString();
  return out;
}
