/** Word lists for the synthetic portal (space-separated to stay compact). The planted effects live in planted-model.ts. */

export const FIRST_NAMES: readonly string[] = (
  'Olivia Liam Emma Noah Ava Oliver Sophia Elijah Isabella Lucas Mia Mateo Amelia Leo Harper Ethan Evelyn James ' +
  'Chloe Henry Camila Jack Luna Daniel Sofia Samuel Aria David Nora Joseph Hannah Wei Priya Arjun Yuki Hiro ' +
  'Fatima Omar Lena Jonas Elena Marco Chiara Pierre Camille Sven Ingrid Diego Lucia Kwame Amara Tomasz Zofia Raj ' +
  'Ananya Mei Jin Aisha Mohammed Grace'
).split(' ');

export const LAST_NAMES: readonly string[] = (
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson Anderson ' +
  'Thomas Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Walker Young Allen King Wright Scott ' +
  'Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Müller Schmidt Schneider Fischer Weber Dubois ' +
  'Laurent Rossi Russo Bianchi Nakamura Tanaka Sato Kim Park Chen Wang Singh Patel Sharma Okafor Mensah Nowak ' +
  'Kowalski Andersson Johansson Nielsen Silva Santos Costa'
).split(' ');

export const COMPANY_PREFIXES: readonly string[] = (
  'Acme Blue Bright Cedar Clear Coastal Core Crest Delta Eagle Echo Ever First Granite Green Harbor Iron Keystone ' +
  'Lumen Maple Meridian Nimbus North Nova Oak Orbit Pacific Peak Pine Pioneer Prime Quantum Red River Silver ' +
  'Summit Sun Terra True Unity Vertex Vista West Zen'
).split(' ');

export const COMPANY_SUFFIXES: readonly string[] = (
  'Labs Systems Works Group Dynamics Solutions Logistics Health Partners Foods Energy Analytics Networks ' +
  'Industries Software Capital Retail Media Robotics Bio'
).split(' ');

/** HubSpot's industry enumeration values (a dozen of them). */
export const INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'INFORMATION_TECHNOLOGY_AND_SERVICES',
  'FINANCIAL_SERVICES',
  'HOSPITAL_HEALTH_CARE',
  'MANUFACTURING',
  'RETAIL',
  'LOGISTICS_AND_SUPPLY_CHAIN',
  'MARKETING_AND_ADVERTISING',
  'EDUCATION_MANAGEMENT',
  'REAL_ESTATE',
  'TELECOMMUNICATIONS',
  'NONPROFIT_ORGANIZATION_MANAGEMENT',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

/** Countries with their share of companies. */
export const COUNTRIES: readonly { name: string; weight: number }[] = [
  { name: 'United States', weight: 40 },
  { name: 'United Kingdom', weight: 12 },
  { name: 'Germany', weight: 10 },
  { name: 'France', weight: 7 },
  { name: 'Canada', weight: 7 },
  { name: 'Netherlands', weight: 5 },
  { name: 'Australia', weight: 5 },
  { name: 'Sweden', weight: 4 },
  { name: 'Spain', weight: 4 },
  { name: 'India', weight: 4 },
  { name: 'Brazil', weight: 2 },
];

/**
 * Job titles by seniority. Decision makers are C-level, VP, Head and Director; the rest influence or use.
 */
export const TITLES_BY_SENIORITY = {
  clevel: ['CEO', 'CFO', 'CTO', 'COO', 'Chief Revenue Officer', 'Chief Marketing Officer'],
  vp: ['VP Sales', 'VP Marketing', 'VP Engineering', 'VP Operations', 'VP Finance'],
  head: ['Head of Sales', 'Head of Growth', 'Head of Operations', 'Head of Data', 'Head of IT'],
  director: ['Director of Sales', 'Marketing Director', 'IT Director', 'Director of Operations', 'Finance Director'],
  manager: ['Sales Manager', 'Marketing Manager', 'Operations Manager', 'Product Manager', 'IT Manager'],
  individual: [
    'Account Executive',
    'Marketing Specialist',
    'Data Analyst',
    'Software Engineer',
    'Sales Representative',
    'Operations Analyst',
  ],
  other: ['Student', 'Consultant', 'Intern', 'Freelancer'],
} as const;
export type Seniority = keyof typeof TITLES_BY_SENIORITY;
export const DECISION_MAKER_SENIORITIES: readonly Seniority[] = ['clevel', 'vp', 'head', 'director'];

export const OWNER_NAMES: readonly [string, string][] = [
  ['Alex', 'Rivera'],
  ['Jordan', 'Blake'],
  ['Sam', 'Okoro'],
  ['Taylor', 'Nguyen'],
  ['Morgan', 'Fischer'],
  ['Casey', 'Lindqvist'],
  ['Riley', 'Moreau'],
  ['Jamie', 'Castillo'],
  ['Avery', 'Kaur'],
  ['Quinn', 'Sullivan'],
  ['Drew', 'Tanaka'],
  ['Reese', 'Novak'],
  ['Cameron', 'Haddad'],
  ['Skyler', 'Bauer'],
  ['Parker', 'Ito'],
];
