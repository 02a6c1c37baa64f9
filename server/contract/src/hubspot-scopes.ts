/**
 * The one list both sides must agree on: hubspot-app's app-hsmeta.json declares these scopes (its test checks
 * that) and the server asks for them in the OAuth authorize URL.
 *
 * Scopes the connector needs: read and write the three scored object types, create and read their property
 * definitions (the closewise group), read owners. Activities (calls, meetings, notes, tasks, emails) are read
 * under the contacts scope; HubSpot redacts the details of email engagements (direction included, which the
 * engagement features use) unless the app also holds sales-email-read.
 */
export const HUBSPOT_REQUIRED_SCOPES: readonly string[] = [
  'oauth',
  ...['contacts', 'companies', 'deals'].flatMap((type) => [
    `crm.objects.${type}.read`,
    `crm.objects.${type}.write`,
    `crm.schemas.${type}.read`,
    `crm.schemas.${type}.write`,
  ]),
  'crm.objects.owners.read',
  'sales-email-read',
];
