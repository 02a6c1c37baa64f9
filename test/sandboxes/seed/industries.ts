/**
 * A part of HubSpot's industry enumeration (its values follow LinkedIn's industry list), [value, label]: the
 * ones the seed portals use and a few neighbours. Both sandboxes define them (HubSpot's `industry` options,
 * Salesforce's Industry picklist); a loaded portal's other values are added labelled by themselves.
 */
export const INDUSTRY = [
  ['ACCOUNTING', 'Accounting'],
  ['COMPUTER_SOFTWARE', 'Computer Software'],
  ['INFORMATION_TECHNOLOGY_AND_SERVICES', 'Information Technology and Services'],
  ['FINANCIAL_SERVICES', 'Financial Services'],
  ['HOSPITAL_HEALTH_CARE', 'Hospital & Health Care'],
  ['MANUFACTURING', 'Manufacturing'],
  ['RETAIL', 'Retail'],
  ['LOGISTICS_AND_SUPPLY_CHAIN', 'Logistics and Supply Chain'],
  ['MARKETING_AND_ADVERTISING', 'Marketing and Advertising'],
  ['EDUCATION_MANAGEMENT', 'Education Management'],
  ['REAL_ESTATE', 'Real Estate'],
  ['TELECOMMUNICATIONS', 'Telecommunications'],
  ['NONPROFIT_ORGANIZATION_MANAGEMENT', 'Non-Profit Organization Management'],
  ['INTERNET', 'Internet'],
  ['INSURANCE', 'Insurance'],
  ['CONSTRUCTION', 'Construction'],
] as const;
