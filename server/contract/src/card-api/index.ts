export * from './actions.ts';
export * from './closed-record.ts';
export * from './common.ts';
export * from './company-card.ts';
export * from './contact-card.ts';
export * from './deal-card.ts';
export * from './settings.ts';
