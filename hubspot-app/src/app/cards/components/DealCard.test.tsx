import { createCardApi } from '@closewise/hubspot-shared/api-client';
import { createFakeFetch, deferred, type Route } from '@closewise/hubspot-shared/test-support/fake-fetch';
import { dealClosed, dealScored, notScored } from '@closewise/hubspot-shared/test-support/fixtures';
import { deepText } from '@closewise/hubspot-shared/test-support/text';
import {
  Alert,
  Button,
  ErrorState,
  List,
  LoadingButton,
  LoadingSpinner,
  ProgressBar,
  StatisticsItem,
  StatisticsTrend,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it, vi } from 'vitest';
import { DealCard } from './DealCard.tsx';

const BASE = 'https://api.closewise.test';

function renderDeal(route: Route) {
  const fake = createFakeFetch(route);
  const addAlert = vi.fn();
  const renderer = createRenderer('crm.record.tab');
  renderer.render(
    <DealCard api={createCardApi({ fetch: fake.fetch, baseUrl: BASE, portalId: 77 })} recordId="101" addAlert={addAlert} timeZone="UTC" />,
  );
  return { ...renderer, requests: fake.requests, addAlert };
}

describe('DealCard', () => {
  it('shows a spinner while loading, then the score with its meaning', async () => {
    const pending = deferred<{ status: number; body: unknown }>();
    const { find, maybeFind, waitFor, requests, findByTestId } = renderDeal(() => pending.promise);
    expect(find(LoadingSpinner).props.label).toMatch(/Loading/);
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]?.url.pathname).toBe('/api/hubspot/cards/deals/101');
    expect(requests[0]?.url.searchParams.get('portalId')).toBe('77');

    pending.resolve({ status: 200, body: dealScored() });
    await waitFor(() => expect(maybeFind(LoadingSpinner)).toBeNull());
    const probability = findByTestId(StatisticsItem, 'win-probability');
    expect(probability.props.number).toBe('62%');
    expect(probability.props.label).toBe('Chance to win (calibrated)');
    expect(find(StatisticsTrend).props).toMatchObject({ direction: 'increase', value: 'from 55%' });
    expect(findByTestId(ProgressBar, 'win-probability-bar').props).toMatchObject({
      value: 62,
      maxValue: 100,
      variant: 'success',
      valueDescription: '62% of deals scored like this one are won',
    });
    // One statement of the probability: the number, and the sentence under the bar; the bar repeats neither.
    expect(findByTestId(ProgressBar, 'win-probability-bar').props.showPercentage).toBeFalsy();
    expect(findByTestId(ProgressBar, 'win-probability-bar').props.title).toBeUndefined();
    const score = findByTestId(StatisticsItem, 'deal-score');
    expect(score.props.number).toBe(4);
    expect(deepText(score)).toContain('Stronger than most open deals');
    expect(findByTestId(Text, 'model-footer').text).toContain('Model deal-v3 (trained on this portal, AUC 0.81 on held-out records)');
    expect(findByTestId(Text, 'model-footer').text).toContain('scored Nov 22, 2026, 8:30 AM UTC');
    expect(maybeFind(Alert)).toBeNull();
  });

  it('renders positive and negative reasons separately', async () => {
    const { waitFor, getRootNode } = renderDeal(() => ({ status: 200, body: dealScored() }));
    await waitFor(() => expect(deepText(getRootNode())).toContain('Why this score'));
    const text = deepText(getRootNode());
    expect(text).toMatch(/Helping.*Two meetings held in the last 14 days\./s);
    expect(text).toMatch(/Hurting.*Close date pushed back twice\./s);
    expect(text).toMatch(/1\. high priority.*Book a follow-up with the champion this week\..*2\. medium priority.*Add a second contact/s);
  });

  it('creates a task with the action payload and an idempotency key, then confirms', async () => {
    const { waitFor, findByTestId, maybeFindByTestId, requests, addAlert } = renderDeal((request) =>
      request.method === 'GET' ? { status: 200, body: dealScored() } : { status: 201, body: { taskId: '9001', created: true } },
    );
    await waitFor(() => expect(maybeFindByTestId(LoadingButton, 'create-task-follow-up-champion')).not.toBeNull());
    // Advice actions have no task to create, only Snooze.
    expect(maybeFindByTestId(LoadingButton, 'create-task-multi-thread')).toBeNull();
    findByTestId(LoadingButton, 'create-task-follow-up-champion').trigger('onClick');
    await waitFor(() => expect(findByTestId(LoadingButton, 'create-task-follow-up-champion').text).toBe('Task created'));

    const post = requests[1]!;
    expect(post.method).toBe('POST');
    expect(post.url.pathname).toBe('/api/hubspot/cards/deals/101/actions/create-task');
    expect(post.body).toMatchObject({ actionId: 'follow-up-champion', title: 'Follow up with champion', dueDate: '2026-11-25' });
    expect(String(post.body?.['idempotencyKey'])).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    expect(findByTestId(LoadingButton, 'create-task-follow-up-champion').props.disabled).toBe(true);
    expect(addAlert).toHaveBeenCalledWith({ type: 'success', message: 'Task created: Follow up with champion' });
  });

  it('says so when the task could not be assigned to the rep (no HubSpot owner record)', async () => {
    const { waitFor, findByTestId, maybeFindByTestId, addAlert } = renderDeal((request) =>
      request.method === 'GET'
        ? { status: 200, body: dealScored() }
        : { status: 201, body: { taskId: '9002', created: true, assignedToYou: false } },
    );
    await waitFor(() => expect(maybeFindByTestId(LoadingButton, 'create-task-follow-up-champion')).not.toBeNull());
    findByTestId(LoadingButton, 'create-task-follow-up-champion').trigger('onClick');
    await waitFor(() =>
      expect(addAlert).toHaveBeenCalledWith({
        type: 'success',
        message: 'Task created: Follow up with champion. It is unassigned: HubSpot has no owner record for you.',
      }),
    );
  });

  it('reuses the idempotency key when the rep clicks again after a failed create', async () => {
    let attempts = 0;
    const { waitFor, findByTestId, maybeFindByTestId, requests, addAlert } = renderDeal((request) => {
      if (request.method === 'GET') return { status: 200, body: dealScored() };
      attempts++;
      return attempts === 1
        ? { status: 502, body: { error: { code: 'UPSTREAM', message: 'HubSpot did not answer.' } } }
        : { status: 200, body: { taskId: '9001', created: false } };
    });
    await waitFor(() => expect(maybeFindByTestId(LoadingButton, 'create-task-follow-up-champion')).not.toBeNull());
    findByTestId(LoadingButton, 'create-task-follow-up-champion').trigger('onClick');
    await waitFor(() => expect(addAlert).toHaveBeenCalledWith({ type: 'danger', message: 'Task not created. HubSpot did not answer.' }));
    findByTestId(LoadingButton, 'create-task-follow-up-champion').trigger('onClick');
    await waitFor(() => expect(addAlert).toHaveBeenCalledWith({ type: 'success', message: 'This task already exists.' }));
    expect(requests[1]?.body?.['idempotencyKey']).toBe(requests[2]?.body?.['idempotencyKey']);
  });

  it('snoozes an action for seven days and hides it', async () => {
    const { waitFor, findByTestId, maybeFindByTestId, requests } = renderDeal((request) =>
      request.method === 'GET'
        ? { status: 200, body: dealScored() }
        : { status: 200, body: { actionId: 'multi-thread', until: String(request.body?.['until']) } },
    );
    await waitFor(() => expect(maybeFindByTestId(Button, 'snooze-multi-thread')).not.toBeNull());
    findByTestId(Button, 'snooze-multi-thread').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(Button, 'snooze-multi-thread')).toBeNull());
    const post = requests[1]!;
    expect(post.url.pathname).toBe('/api/hubspot/cards/deals/101/actions/snooze');
    expect(post.body?.['actionId']).toBe('multi-thread');
    const expected = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(post.body?.['until']).toBe(expected);
  });

  it('rescores on demand and shows the new score', async () => {
    const { waitFor, findByTestId, maybeFindByTestId, requests } = renderDeal((request) =>
      request.method === 'GET'
        ? { status: 200, body: dealScored() }
        : {
            status: 200,
            body: dealScored({ winProbability: 71, trend: { direction: 'up', previousProbability: 62.4, previousScoredAt: null } }),
          },
    );
    await waitFor(() => expect(maybeFindByTestId(LoadingButton, 'rescore-now')).not.toBeNull());
    findByTestId(LoadingButton, 'rescore-now').trigger('onClick');
    await waitFor(() => expect(findByTestId(StatisticsItem, 'win-probability').props.number).toBe('71%'));
    expect(requests[1]?.url.pathname).toBe('/api/hubspot/cards/deals/101/actions/rescore');
    expect(requests[1]?.method).toBe('POST');
  });

  it('says when scores come from the prior model', async () => {
    const { waitFor, maybeFindByTestId, findByTestId } = renderDeal(() => ({
      status: 200,
      body: dealScored({ model: { version: 'prior-2026.11', source: 'prior' } }),
    }));
    await waitFor(() => expect(maybeFindByTestId(Alert, 'prior-model')).not.toBeNull());
    expect(findByTestId(Alert, 'prior-model').props.title).toBe('Not enough data yet');
    expect(findByTestId(Text, 'model-footer').text).toContain('prior model');
  });

  it('says when the model is weak instead of implying precision', async () => {
    const { waitFor, maybeFindByTestId, findByTestId } = renderDeal(() => ({
      status: 200,
      body: dealScored({ winProbability: 12, model: { version: 'deal-v1', source: 'portal', auc: 0.56 } }),
    }));
    await waitFor(() => expect(maybeFindByTestId(Text, 'model-footer')).not.toBeNull());
    expect(findByTestId(Text, 'model-footer').text).toContain('AUC 0.56 on held-out records — weak so far: treat the score as a hint');
    expect(findByTestId(ProgressBar, 'win-probability-bar').props.variant).toBe('danger');
  });

  it('shows a steady trend in words', async () => {
    const steady = renderDeal(() => ({
      status: 200,
      body: dealScored({ trend: { direction: 'steady', previousProbability: 62, previousScoredAt: null } }),
    }));
    await steady.waitFor(() => expect(steady.maybeFindByTestId(Text, 'trend')).not.toBeNull());
    expect(steady.findByTestId(Text, 'trend').text).toBe('Steady (was 62%)');
  });

  it('shows a first score without a trend', async () => {
    const first = renderDeal(() => ({
      status: 200,
      body: dealScored({ trend: { direction: 'steady', previousProbability: null, previousScoredAt: null } }),
    }));
    await first.waitFor(() => expect(deepText(first.getRootNode())).toContain('First score for this deal'));
    expect(first.maybeFind(StatisticsTrend)).toBeNull();
  });

  it('explains a record that is not scored yet', async () => {
    const { waitFor, maybeFindByTestId, findByTestId, maybeFind } = renderDeal(() => ({
      status: 200,
      body: notScored('101', 'Closed deals are not scored.'),
    }));
    await waitFor(() => expect(maybeFindByTestId(Alert, 'not-scored')).not.toBeNull());
    expect(deepText(findByTestId(Alert, 'not-scored'))).toContain('Closed deals are not scored.');
    expect(maybeFind(StatisticsItem)).toBeNull();
  });

  it('shows a closed won deal with the last probability before close, and nothing to rescore', async () => {
    const { waitFor, findByTestId, maybeFindByTestId, maybeFind } = renderDeal(() => ({ status: 200, body: dealClosed() }));
    await waitFor(() => expect(maybeFindByTestId(Tag, 'deal-outcome')).not.toBeNull());
    expect(findByTestId(Tag, 'deal-outcome')).toMatchObject({ text: 'Closed won', props: expect.objectContaining({ variant: 'success' }) });
    expect(findByTestId(Text, 'closed-on').text).toBe("Closed on Nov 24, 2026, in stage 'Closed Won'.");
    expect(findByTestId(Text, 'last-score').text).toBe(
      'Last Closewise win probability before close: 72%, scored Nov 22, 2026, 8:30 AM UTC.',
    );
    expect(maybeFindByTestId(LoadingButton, 'rescore-now')).toBeNull();
    expect(maybeFindByTestId(Button, 'rescore-now')).toBeNull();
    expect(maybeFindByTestId(Alert, 'not-scored')).toBeNull();
    expect(maybeFind(StatisticsItem)).toBeNull();
  });

  it('shows a closed lost deal Closewise never scored while open, and nothing to rescore', async () => {
    const body = dealClosed({ outcome: 'lost', stageLabel: 'Closed Lost', lastScoreBeforeClose: null });
    const { waitFor, findByTestId, maybeFindByTestId } = renderDeal(() => ({ status: 200, body }));
    await waitFor(() => expect(maybeFindByTestId(Tag, 'deal-outcome')).not.toBeNull());
    expect(findByTestId(Tag, 'deal-outcome')).toMatchObject({ text: 'Closed lost', props: expect.objectContaining({ variant: 'error' }) });
    expect(findByTestId(Text, 'closed-on').text).toBe("Closed on Nov 24, 2026, in stage 'Closed Lost'.");
    expect(findByTestId(Text, 'last-score').text).toBe('Closewise did not score this deal while it was open.');
    expect(maybeFindByTestId(LoadingButton, 'rescore-now')).toBeNull();
    expect(maybeFindByTestId(Button, 'rescore-now')).toBeNull();
  });

  it('shows the backend error with a retry that loads again', async () => {
    let calls = 0;
    const { waitFor, maybeFind, find, findByTestId } = renderDeal(() => {
      calls++;
      return calls === 1
        ? { status: 503, body: { error: { code: 'STORE_UNREACHABLE', message: 'Scores are temporarily unavailable.' } } }
        : { status: 200, body: dealScored() };
    });
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull());
    expect(deepText(find(ErrorState))).toContain('Scores are temporarily unavailable.');
    findByTestId(Button, 'retry').trigger('onClick');
    await waitFor(() => expect(maybeFind(StatisticsItem)).not.toBeNull());
    expect(calls).toBe(2);
  });

  it('refuses a response that does not match the schema instead of rendering it', async () => {
    const { waitFor, maybeFind, find } = renderDeal(() => ({ status: 200, body: { ...dealScored(), winProbability: 0.62e3 } }));
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull());
    expect(deepText(find(ErrorState))).toContain('does not understand');
    expect(maybeFind(StatisticsItem)).toBeNull();
  });

  it('reports a network failure as such', async () => {
    const { waitFor, maybeFind, find } = renderDeal(() => Promise.reject(new Error('timeout')));
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull());
    expect(deepText(find(ErrorState))).toContain('Closewise could not be reached (timeout).');
  });

  it('says what changed since the previous score and which factors moved it, and nothing on a first score', async () => {
    const change = {
      points: 12.4,
      since: '2026-11-03T09:00:00.000Z',
      movers: [
        { label: 'Two meetings held in the last 14 days', points: 9.1 },
        { label: 'Close date pushed back twice', points: -3.5 },
      ],
    };
    const { waitFor, findByTestId, maybeFindByTestId, getRootNode } = renderDeal(() => ({ status: 200, body: dealScored({ change }) }));
    await waitFor(() => expect(maybeFindByTestId(Text, 'what-changed')).not.toBeNull());
    expect(findByTestId(Text, 'what-changed').text).toBe('+12.4 pts since 3 Nov');
    expect(deepText(getRootNode())).toMatch(
      /Two meetings held in the last 14 days \(\+9\.1 pts\).*Close date pushed back twice \(−3\.5 pts\)/s,
    );

    const first = renderDeal(() => ({ status: 200, body: dealScored({ change: null }) }));
    await first.waitFor(() => expect(deepText(first.getRootNode())).toContain('Why this score'));
    expect(first.maybeFindByTestId(Text, 'what-changed')).toBeNull();
  });

  it('shows what would raise it as labelled estimates, and nothing when no change would', async () => {
    const raise = [
      { action: 'log_call', label: 'Log a call', estimate: 47.6, points: 24.8 },
      { action: 'update_close_date', label: 'Move the close date to 2 Jan', estimate: 25.2, points: 2.4 },
    ] as const;
    const { waitFor, findByTestId, maybeFindByTestId, getRootNode } = renderDeal(() => ({
      status: 200,
      body: dealScored({ raise: [...raise] }),
    }));
    await waitFor(() => expect(maybeFindByTestId(List, 'would-raise')).not.toBeNull());
    expect(deepText(findByTestId(List, 'would-raise'))).toMatch(
      /Log a call: about 48% \(\+24\.8 pts\).*Move the close date to 2 Jan: about 25% \(\+2\.4 pts\)/s,
    );
    expect(deepText(getRootNode())).toContain('What would raise it (estimates)');

    const none = renderDeal(() => ({ status: 200, body: dealScored({ raise: [] }) }));
    await none.waitFor(() => expect(deepText(none.getRootNode())).toContain('Why this score'));
    expect(none.maybeFindByTestId(List, 'would-raise')).toBeNull();
    expect(deepText(none.getRootNode())).not.toContain('What would raise it');
  });

  it('says when the portal’s history does not predict outcomes, and not when it does', async () => {
    const flat = renderDeal(() => ({
      status: 200,
      body: dealScored({ model: { version: 'deal-v2', source: 'portal', auc: 0.53, predictive: false } }),
    }));
    await flat.waitFor(() => expect(flat.maybeFindByTestId(Alert, 'no-signal')).not.toBeNull());
    expect(flat.findByTestId(Alert, 'no-signal').props.title).toBe('History does not predict outcomes yet');
    expect(deepText(flat.findByTestId(Alert, 'no-signal'))).toContain('AUC 0.53 on held-out records as they were created');

    const telling = renderDeal(() => ({
      status: 200,
      body: dealScored({ model: { version: 'deal-v3', source: 'portal', auc: 0.81, predictive: true } }),
    }));
    await telling.waitFor(() => expect(deepText(telling.getRootNode())).toContain('Why this score'));
    expect(telling.maybeFindByTestId(Alert, 'no-signal')).toBeNull();
  });
});
