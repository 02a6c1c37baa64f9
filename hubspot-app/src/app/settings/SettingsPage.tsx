import { hubspot } from '@hubspot/ui-extensions';
import { createCardApi } from '../cards/shared/api-client.ts';
import { backendUrlFrom } from '../cards/shared/backend-url.ts';
import { SettingsPage } from './components/SettingsPage.tsx';

// Entry point (see settings-hsmeta.json).
hubspot.extend<'settings'>(({ context, actions }) => (
  <SettingsPage
    api={createCardApi({ fetch: hubspot.fetch, baseUrl: backendUrlFrom(context.variables), portalId: context.portal.id })}
    addAlert={actions.addAlert}
  />
));
