// The wire contract between the server and its clients: zod schemas (and their types) of the card API the
// HubSpot cards call and of the API ClosewiseController.cls calls, plus the OAuth scopes the HubSpot app
// declares. Browser-safe (zod only); the Node-only signature algorithm is the './hubspot-signature' entry.
export * from './card-api/index.ts';
export * from './hubspot-scopes.ts';
export * from './salesforce-api.ts';
