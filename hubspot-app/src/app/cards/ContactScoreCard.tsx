import { createCardApi } from '@closewise/hubspot-shared/api-client';
import { backendUrlFrom } from '@closewise/hubspot-shared/backend-url';
import { hubspot } from '@hubspot/ui-extensions';
import { ContactCard } from './components/ContactCard.tsx';

// Entry point (see contact-score-card-hsmeta.json): wires HubSpot's context and hubspot.fetch into the card.
hubspot.extend<'crm.record.tab'>(({ context, actions }) => (
  <ContactCard
    api={createCardApi({ fetch: hubspot.fetch, baseUrl: backendUrlFrom(context.variables), portalId: context.portal.id })}
    recordId={String(context.crm.objectId)}
    addAlert={actions.addAlert}
    timeZone={context.portal.timezone}
  />
));
