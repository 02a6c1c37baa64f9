// The shared code runs inside the cards and the settings page, so it is held to the same HubSpot rules.
export { default } from '@closewise/hubspot-eslint-config';
