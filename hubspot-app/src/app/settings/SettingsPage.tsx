import { createCardApi } from '@closewise/hubspot-shared/api-client';
import { backendUrlFrom } from '@closewise/hubspot-shared/backend-url';
import { hubspot } from '@hubspot/ui-extensions';
import { SettingsPage } from './components/SettingsPage.tsx';

// Entry point (see settings-hsmeta.json).
hubspot.extend<'settings'>(({ context, actions }) => (
  <SettingsPage
    api={createCardApi({ fetch: hubspot.fetch, baseUrl: backendUrlFrom(context.variables), portalId: context.portal.id })}
    addAlert={actions.addAlert}
  />
));
