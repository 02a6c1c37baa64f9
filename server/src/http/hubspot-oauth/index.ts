export { createOAuthState, verifyOAuthState } from './oauth-state.ts';
export { hubSpotOAuthRouter, type OAuthRouterOptions } from './router.ts';
