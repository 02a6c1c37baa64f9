import { createCardApi } from '@closewise/hubspot-shared/api-client';
import { createFakeFetch, deferred, type Route } from '@closewise/hubspot-shared/test-support/fake-fetch';
import { contactCustomer, contactScored, notScored } from '@closewise/hubspot-shared/test-support/fixtures';
import { deepText } from '@closewise/hubspot-shared/test-support/text';
import { Alert, Button, ErrorState, List, LoadingButton, LoadingSpinner, StatisticsItem, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it, vi } from 'vitest';
import { ContactCard } from './ContactCard.tsx';

function renderContact(route: Route) {
  const fake = createFakeFetch(route);
  const addAlert = vi.fn();
  const renderer = createRenderer('crm.record.tab');
  renderer.render(
    <ContactCard
      api={createCardApi({ fetch: fake.fetch, baseUrl: 'https://api.closewise.test', portalId: 77 })}
      recordId="201"
      addAlert={addAlert}
      timeZone="UTC"
    />,
  );
  return { ...renderer, requests: fake.requests, addAlert };
}

describe('ContactCard', () => {
  it('loads the contact card from its signed URL and shows likelihood, tier and grade with their meaning', async () => {
    const pending = deferred<{ status: number; body: unknown }>();
    const { maybeFind, waitFor, findByTestId, requests } = renderContact(() => pending.promise);
    expect(maybeFind(LoadingSpinner)).not.toBeNull();
    await vi.waitFor(() => expect(requests[0]?.url.pathname).toBe('/api/hubspot/cards/contacts/201'));
    pending.resolve({ status: 200, body: contactScored() });
    await waitFor(() => expect(maybeFind(StatisticsItem)).not.toBeNull());

    const likelihood = findByTestId(StatisticsItem, 'close-likelihood');
    expect(likelihood.props).toMatchObject({ label: 'Likelihood to close in 90 days', number: '18%' });
    const tier = findByTestId(StatisticsItem, 'priority-tier');
    expect(tier.props.number).toBe('High');
    expect(deepText(tier)).toContain('Second quarter');
    expect(findByTestId(Tag, 'lead-grade').text).toBe('B2');
  });

  it('explains the lead grade parts and lists reasons and actions', async () => {
    const { waitFor, getRootNode, maybeFind } = renderContact(() => ({ status: 200, body: contactScored() }));
    await waitFor(() => expect(maybeFind(StatisticsItem)).not.toBeNull());
    const text = deepText(getRootNode());
    expect(text).toContain('Fit B: good fit · Engagement 2: engaged');
    expect(text).toContain('Job title matches buyers in won deals.');
    expect(text).toMatch(/Helping.*Attended a meeting last week\./s);
    expect(text).toContain('Call while engagement is fresh.');
  });

  it('creates the suggested task on the contact', async () => {
    const { waitFor, findByTestId, maybeFindByTestId, requests } = renderContact((r) =>
      r.method === 'GET' ? { status: 200, body: contactScored() } : { status: 201, body: { taskId: '5', created: true } },
    );
    await waitFor(() => expect(maybeFindByTestId(LoadingButton, 'create-task-call-contact')).not.toBeNull());
    findByTestId(LoadingButton, 'create-task-call-contact').trigger('onClick');
    await waitFor(() => expect(findByTestId(LoadingButton, 'create-task-call-contact').text).toBe('Task created'));
    expect(requests[1]?.url.pathname).toBe('/api/hubspot/cards/contacts/201/actions/create-task');
    expect(requests[1]?.body).toMatchObject({ actionId: 'call-contact', title: 'Call contact', dueDate: '2026-11-24' });
  });

  it('flags prior-model scores', async () => {
    const { waitFor, maybeFindByTestId } = renderContact(() => ({
      status: 200,
      body: contactScored({ model: { version: 'prior-1', source: 'prior' } }),
    }));
    await waitFor(() => expect(maybeFindByTestId(Alert, 'prior-model')).not.toBeNull());
  });

  it('says a contact who became a customer is one, with the last likelihood before, and nothing to rescore', async () => {
    const { waitFor, findByTestId, maybeFindByTestId, maybeFind } = renderContact(() => ({ status: 200, body: contactCustomer() }));
    await waitFor(() => expect(maybeFindByTestId(Tag, 'contact-outcome')).not.toBeNull());
    expect(findByTestId(Tag, 'contact-outcome').text).toBe('Customer');
    expect(findByTestId(Text, 'customer-since').text).toBe('A customer since Nov 20, 2026.');
    expect(findByTestId(Text, 'last-score').text).toBe(
      'Last Closewise likelihood to close before becoming a customer: 34%, scored Nov 13, 2026, 8:30 AM UTC.',
    );
    expect(maybeFindByTestId(LoadingButton, 'rescore-now')).toBeNull();
    expect(maybeFindByTestId(Button, 'rescore-now')).toBeNull();
    expect(maybeFind(StatisticsItem)).toBeNull();
  });

  it('explains a contact that is not scored, and scores it on request', async () => {
    const { waitFor, maybeFindByTestId, findByTestId, requests } = renderContact((r) =>
      r.method === 'GET'
        ? { status: 200, body: notScored('201', 'This contact was created minutes ago; it is scored within the hour.') }
        : { status: 200, body: contactScored() },
    );
    await waitFor(() => expect(maybeFindByTestId(Alert, 'not-scored')).not.toBeNull());
    expect(deepText(findByTestId(Alert, 'not-scored'))).toContain('scored within the hour');
    findByTestId(Button, 'rescore-now').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(StatisticsItem, 'close-likelihood')).not.toBeNull());
    expect(requests[1]?.url.pathname).toBe('/api/hubspot/cards/contacts/201/actions/rescore');
  });

  it('shows backend errors with a retry', async () => {
    let calls = 0;
    const { waitFor, maybeFind, find, findByTestId } = renderContact(() =>
      ++calls === 1 ? { status: 500, body: 'not json shaped' } : { status: 200, body: contactScored() },
    );
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull());
    expect(deepText(find(ErrorState))).toContain('HTTP 500');
    findByTestId(Button, 'retry').trigger('onClick');
    await waitFor(() => expect(maybeFind(StatisticsItem)).not.toBeNull());
  });

  it('says what changed since the previous score, with the factors that moved it', async () => {
    const change = { points: -4, since: '2026-11-15T09:00:00.000Z', movers: [{ label: 'No email opened in 30 days', points: -4.2 }] };
    const { waitFor, findByTestId, maybeFindByTestId, getRootNode } = renderContact(() => ({
      status: 200,
      body: contactScored({ change }),
    }));
    await waitFor(() => expect(maybeFindByTestId(Text, 'what-changed')).not.toBeNull());
    expect(findByTestId(Text, 'what-changed').text).toBe('−4 pts since 15 Nov');
    expect(deepText(getRootNode())).toContain('No email opened in 30 days (−4.2 pts)');
  });

  it('shows what would raise it as labelled estimates', async () => {
    const raise = [
      { action: 'send_email', label: 'Send an email', estimate: 14.2, points: 2.5 },
      { action: 'log_call', label: 'Log a call', estimate: 12.7, points: 1 },
    ] as const;
    const { waitFor, findByTestId, maybeFindByTestId, getRootNode } = renderContact(() => ({
      status: 200,
      body: contactScored({ raise: [...raise] }),
    }));
    await waitFor(() => expect(maybeFindByTestId(List, 'would-raise')).not.toBeNull());
    expect(deepText(findByTestId(List, 'would-raise'))).toMatch(
      /Send an email: about 14% \(\+2\.5 pts\).*Log a call: about 13% \(\+1 pts\)/s,
    );
    expect(deepText(getRootNode())).toContain('an estimate, not a promise');
  });
});
