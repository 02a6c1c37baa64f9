import { createCardApi } from '@closewise/hubspot-shared/api-client';
import { createFakeFetch, deferred, type Route } from '@closewise/hubspot-shared/test-support/fake-fetch';
import { companyScored, notScored } from '@closewise/hubspot-shared/test-support/fixtures';
import { deepText } from '@closewise/hubspot-shared/test-support/text';
import { Alert, Button, ErrorState, LoadingButton, LoadingSpinner, Table, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it, vi } from 'vitest';
import { CompanyCard } from './CompanyCard.tsx';

function renderCompany(route: Route) {
  const fake = createFakeFetch(route);
  const addAlert = vi.fn();
  const renderer = createRenderer('crm.record.tab');
  renderer.render(
    <CompanyCard
      api={createCardApi({ fetch: fake.fetch, baseUrl: 'https://api.closewise.test', portalId: 77 })}
      recordId="301"
      addAlert={addAlert}
      timeZone="UTC"
    />,
  );
  return { ...renderer, requests: fake.requests, addAlert };
}

describe('CompanyCard', () => {
  it('shows engagement level with its evidence', async () => {
    const pending = deferred<{ status: number; body: unknown }>();
    const { maybeFind, waitFor, findByTestId, requests } = renderCompany(() => pending.promise);
    expect(maybeFind(LoadingSpinner)).not.toBeNull();
    await vi.waitFor(() => expect(requests[0]?.url.pathname).toBe('/api/hubspot/cards/companies/301'));
    pending.resolve({ status: 200, body: companyScored() });
    await waitFor(() => expect(maybeFind(Table)).not.toBeNull());
    expect(findByTestId(Tag, 'engagement-level').text).toBe('Lonely');
    expect(findByTestId(Tag, 'engagement-level').props.variant).toBe('warning');
    expect(findByTestId(Text, 'last-activity').text).toBe('Sep 30, 2026');
    expect(findByTestId(Text, 'activity-counts').text).toBe('0 in 30 days · 4 in 90 days');
  });

  it('lists open deals with probabilities and contacts by priority', async () => {
    const { maybeFind, waitFor, findByTestId } = renderCompany(() => ({ status: 200, body: companyScored() }));
    await waitFor(() => expect(maybeFind(Table)).not.toBeNull());
    const deals = deepText(findByTestId(Table, 'open-deals'));
    expect(deals).toMatch(/Acme renewal.*Proposal sent.*62%/s);
    expect(deals).toMatch(/Acme upsell.*Discovery.*Not scored yet/s);
    const contacts = deepText(findByTestId(Table, 'contacts-by-priority'));
    // Sorted by tier: the very-high contact first even though the backend sent it second.
    expect(contacts.indexOf('Ada High')).toBeLessThan(contacts.indexOf('Bo Low'));
    expect(contacts).toMatch(/Ada High.*Very high.*41%/s);
  });

  it('flags that scores come from the prior model (this fixture) and offers the next action', async () => {
    const { waitFor, maybeFindByTestId, findByTestId, requests } = renderCompany((r) =>
      r.method === 'GET' ? { status: 200, body: companyScored() } : { status: 201, body: { taskId: '77', created: true } },
    );
    await waitFor(() => expect(maybeFindByTestId(Alert, 'prior-model')).not.toBeNull());
    findByTestId(LoadingButton, 'create-task-revive-account').trigger('onClick');
    await waitFor(() => expect(findByTestId(LoadingButton, 'create-task-revive-account').text).toBe('Task created'));
    expect(requests[1]?.url.pathname).toBe('/api/hubspot/cards/companies/301/actions/create-task');
    expect(requests[1]?.body).toMatchObject({ title: 'Check in with Acme', dueDate: '2026-11-26' });
  });

  it('says so when a company has no open deals or contacts', async () => {
    const { waitFor, maybeFindByTestId } = renderCompany(() => ({
      status: 200,
      body: companyScored({ openDeals: [], contacts: [] }),
    }));
    await waitFor(() => expect(maybeFindByTestId(Text, 'no-open-deals')).not.toBeNull());
    expect(maybeFindByTestId(Text, 'no-contacts')).not.toBeNull();
  });

  it('explains a company that is not scored', async () => {
    const { waitFor, maybeFindByTestId, findByTestId } = renderCompany(() => ({
      status: 200,
      body: notScored('301', 'Companies are scored after the first sync finishes.'),
    }));
    await waitFor(() => expect(maybeFindByTestId(Alert, 'not-scored')).not.toBeNull());
    expect(deepText(findByTestId(Alert, 'not-scored'))).toContain('after the first sync');
  });

  it('shows a 404 from the backend as an error with retry', async () => {
    const { waitFor, maybeFind, find, maybeFindByTestId } = renderCompany(() => ({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Closewise has no record 301 for this portal.' } },
    }));
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull());
    expect(deepText(find(ErrorState))).toContain('no record 301');
    expect(maybeFindByTestId(Button, 'retry')).not.toBeNull();
  });
});
