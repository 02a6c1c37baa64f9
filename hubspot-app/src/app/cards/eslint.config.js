// What `hs project lint` runs here: HubSpot's recommended UI-extension rules (hubspot-app/eslint-config).
export { default } from '@closewise/hubspot-eslint-config';
