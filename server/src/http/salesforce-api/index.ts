export { issueSalesforceApiKey, revokeSalesforceApiKeys, tenantOfApiKey } from './api-keys.ts';
export { createSalesforceApiRouter, SALESFORCE_API_PREFIX, type SalesforceApiDeps } from './router.ts';
