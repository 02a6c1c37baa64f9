export { type SalesforceOAuthRouterOptions, salesforceOAuthRouter } from './router.ts';
