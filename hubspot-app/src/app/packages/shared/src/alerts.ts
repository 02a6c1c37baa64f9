/** actions.addAlert as the cards and the settings page call it (a subset of HubSpot's alert types). */
export type AddAlert = (alert: { type?: 'info' | 'warning' | 'success' | 'danger' | 'tip'; message: string; title?: string }) => void;
