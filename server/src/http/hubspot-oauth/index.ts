export { createOAuthStateGuard, type OAuthStateGuard, type OAuthStateGuardOptions, STATE_TTL_MS } from './oauth-state.ts';
export { hubSpotOAuthRouter, type OAuthRouterOptions } from './router.ts';
