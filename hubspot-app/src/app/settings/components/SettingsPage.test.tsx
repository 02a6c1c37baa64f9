import { createCardApi } from '@closewise/hubspot-shared/api-client';
import { createFakeFetch, deferred, type Route } from '@closewise/hubspot-shared/test-support/fake-fetch';
import { settingsResponse } from '@closewise/hubspot-shared/test-support/fixtures';
import { deepText } from '@closewise/hubspot-shared/test-support/text';
import {
  Alert,
  Button,
  ErrorState,
  Input,
  LoadingButton,
  LoadingSpinner,
  MultiSelect,
  NumberInput,
  Select,
  Text,
  Toggle,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it, vi } from 'vitest';
import { SettingsPage } from './SettingsPage.tsx';

function renderSettings(route: Route) {
  const fake = createFakeFetch(route);
  const addAlert = vi.fn();
  const renderer = createRenderer('settings');
  renderer.render(
    <SettingsPage api={createCardApi({ fetch: fake.fetch, baseUrl: 'https://api.closewise.test', portalId: 77 })} addAlert={addAlert} />,
  );
  return { ...renderer, requests: fake.requests, addAlert };
}

// The kit types trigger()'s second argument as the handler, but passes it to the handler as the value: hence `as never`.
const echo: Route = (r) =>
  r.method === 'GET' ? { status: 200, body: settingsResponse() } : { status: 200, body: { ...settingsResponse(), values: r.body } };

describe('SettingsPage', () => {
  it('loads the settings and shows every value', async () => {
    const pending = deferred<{ status: number; body: unknown }>();
    const { maybeFind, waitFor, findByTestId, requests } = renderSettings(() => pending.promise);
    expect(maybeFind(LoadingSpinner)).not.toBeNull();
    await vi.waitFor(() => expect(requests[0]?.url.pathname).toBe('/api/hubspot/settings'));
    pending.resolve({ status: 200, body: settingsResponse() });
    await waitFor(() => expect(maybeFind(NumberInput)).not.toBeNull());
    expect(findByTestId(NumberInput, 'variance-threshold').props.value).toBe(0.04);
    expect(findByTestId(NumberInput, 'stalled-percentile').props.value).toBe(80);
    expect(findByTestId(NumberInput, 'lonely-window').props.value).toBe(30);
    expect(findByTestId(Input, 'retraining-cron').props.value).toBe('0 3 * * 0');
    expect(findByTestId(MultiSelect, 'excluded-properties').props.value).toEqual(['engagement.note']);
    expect(findByTestId(Toggle, 'include-default').props.checked).toBe(true);
    expect(findByTestId(Toggle, 'include-renewals').props.checked).toBe(false);
    expect(findByTestId(Select, 'first-proposal-default').props.value).toBe('presentationscheduled');
  });

  it('offers every model input, standard and custom, named by object type', async () => {
    const { maybeFind, waitFor, findByTestId } = renderSettings(echo);
    await waitFor(() => expect(maybeFind(NumberInput)).not.toBeNull());
    expect(findByTestId(MultiSelect, 'excluded-properties').props.options).toEqual([
      { label: 'Activities · Notes in the last 30 days', value: 'engagement.note' },
      { label: 'Deal · Amount', value: 'deal.amount' },
      { label: 'Company · Industry', value: 'company.industry' },
      { label: 'Contact · Region', value: 'custom:region' },
    ]);
  });

  it('offers each pipeline’s open stages as the first-proposal stage, never Closed Won or Lost', async () => {
    const { maybeFind, waitFor, findByTestId } = renderSettings(echo);
    await waitFor(() => expect(maybeFind(NumberInput)).not.toBeNull());
    expect(findByTestId(Select, 'first-proposal-default').props.options.map((o) => o.value)).toEqual([
      'appointmentscheduled',
      'presentationscheduled',
      'contractsent',
    ]);
    expect(findByTestId(Select, 'first-proposal-renewals').props.options).toEqual([{ label: 'Renewal due', value: 'r1' }]);
  });

  it('shows all four models’ accuracy read-only, with meanings, and says which is not trained yet', async () => {
    const { maybeFind, waitFor, findByTestId, getRootNode } = renderSettings(echo);
    await waitFor(() => expect(maybeFind(NumberInput)).not.toBeNull());
    expect(findByTestId(Text, 'model-deal_win_at_creation-auc').text).toBe('0.81');
    expect(findByTestId(Text, 'model-deal_win_at_creation-ece').text).toBe('3.2 percentage points on average');
    expect(findByTestId(Text, 'model-deal_win_at_creation-holdout').text).toBe('140');
    expect(findByTestId(Text, 'model-deal_win_at_creation-trained').text).toBe('Nov 16, 2026, 3:00 AM UTC');
    expect(findByTestId(Text, 'model-contact_close_90d-auc').text).toBe('0.77');
    expect(findByTestId(Text, 'model-contact_fit-version').text).toContain('starting model');
    expect(findByTestId(Text, 'model-deal_win_after_proposal-none').text).toContain('Not trained yet');
    const text = deepText(getRootNode());
    for (const title of ['likelihood to close', 'fit', 'at creation', 'after the first proposal']) expect(text).toContain(title);
  });

  it('saves edited values with PUT and the exact payload', async () => {
    const { maybeFind, waitFor, findByTestId, requests, addAlert } = renderSettings(echo);
    await waitFor(() => expect(maybeFind(NumberInput)).not.toBeNull());
    findByTestId(NumberInput, 'stalled-percentile').trigger('onChange', 90 as never);
    findByTestId(NumberInput, 'lonely-window').trigger('onChange', 45 as never);
    findByTestId(Input, 'retraining-cron').trigger('onChange', '30 2 * * 1' as never);
    findByTestId(MultiSelect, 'excluded-properties').trigger('onChange', ['engagement.note', 'deal.amount'] as never);
    findByTestId(Toggle, 'include-renewals').trigger('onChange', true as never);
    findByTestId(Select, 'first-proposal-renewals').trigger('onChange', 'r1' as never);
    await waitFor(() => expect(findByTestId(Select, 'first-proposal-renewals').props.value).toBe('r1'));
    findByTestId(LoadingButton, 'save-settings').trigger('onClick');
    await vi.waitFor(() => expect(addAlert).toHaveBeenCalled());

    const put = requests[1]!;
    expect(put.method).toBe('PUT');
    expect(put.url.pathname).toBe('/api/hubspot/settings');
    expect(put.body).toEqual({
      varianceThreshold: 0.04,
      stalledDealPercentile: 90,
      lonelyWindowDays: 45,
      retrainingCron: '30 2 * * 1',
      excludedProperties: ['engagement.note', 'deal.amount'],
      pipelines: [
        { pipelineId: 'default', included: true, firstProposalStageId: 'presentationscheduled' },
        { pipelineId: 'renewals', included: true, firstProposalStageId: 'r1' },
      ],
    });
    expect(addAlert.mock.calls[0]?.[0]).toMatchObject({ type: 'success' });
  });

  it('refuses invalid values beside the field without calling the backend', async () => {
    const { maybeFind, waitFor, findByTestId, requests } = renderSettings(echo);
    await waitFor(() => expect(maybeFind(NumberInput)).not.toBeNull());
    findByTestId(NumberInput, 'stalled-percentile').trigger('onChange', 120 as never);
    findByTestId(Input, 'retraining-cron').trigger('onChange', 'every sunday' as never);
    await waitFor(() => expect(findByTestId(Input, 'retraining-cron').props.value).toBe('every sunday'));
    findByTestId(LoadingButton, 'save-settings').trigger('onClick');
    await waitFor(() => expect(findByTestId(NumberInput, 'stalled-percentile').props.error).toBe(true));
    expect(findByTestId(Input, 'retraining-cron').props.validationMessage).toMatch(/five cron fields/);
    expect(requests).toHaveLength(1);
  });

  it('shows a failed save and keeps the edits', async () => {
    const { maybeFind, waitFor, findByTestId, maybeFindByTestId } = renderSettings((r) =>
      r.method === 'GET'
        ? { status: 200, body: settingsResponse() }
        : { status: 400, body: { error: { code: 'BAD_INPUT', message: 'Unknown stage r9.' } } },
    );
    await waitFor(() => expect(maybeFind(NumberInput)).not.toBeNull());
    findByTestId(NumberInput, 'lonely-window').trigger('onChange', 60 as never);
    findByTestId(LoadingButton, 'save-settings').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(Alert, 'save-error')).not.toBeNull());
    expect(deepText(findByTestId(Alert, 'save-error'))).toContain('Unknown stage r9.');
    expect(findByTestId(NumberInput, 'lonely-window').props.value).toBe(60);
  });

  it("shows a model's drift warning, and none for models without one", async () => {
    const warning = 'drift on the newest 320 rows: the probabilities are off: calibration error 0.145 (noise allows 0.076)';
    const models = settingsResponse().models.map((m) => (m.target === 'contact_close_90d' ? { ...m, driftWarning: warning } : m));
    const { maybeFind, maybeFindByTestId, waitFor, findByTestId } = renderSettings(() => ({
      status: 200,
      body: { ...settingsResponse(), models },
    }));
    await waitFor(() => expect(maybeFind(NumberInput)).not.toBeNull());
    expect(deepText(findByTestId(Alert, 'model-contact_close_90d-drift'))).toContain(warning);
    expect(maybeFindByTestId(Alert, 'model-deal_win_at_creation-drift')).toBeNull();
  });

  it("says when a model's history does not predict outcomes, with its first-snapshot AUC", async () => {
    const models = settingsResponse().models.map((m) =>
      m.target === 'deal_win_at_creation'
        ? { ...m, firstSnapshotAuc: 0.51, predictive: false }
        : { ...m, firstSnapshotAuc: 0.8, predictive: true },
    );
    const { maybeFind, maybeFindByTestId, waitFor, findByTestId } = renderSettings(() => ({
      status: 200,
      body: { ...settingsResponse(), models },
    }));
    await waitFor(() => expect(maybeFind(NumberInput)).not.toBeNull());
    expect(findByTestId(Alert, 'model-deal_win_at_creation-no-signal').props.title).toBe('History does not predict outcomes yet');
    expect(deepText(findByTestId(Alert, 'model-deal_win_at_creation-no-signal'))).toContain('AUC 0.51');
    expect(findByTestId(Text, 'model-deal_win_at_creation-first-auc').text).toBe('0.51');
    expect(maybeFindByTestId(Alert, 'model-contact_close_90d-no-signal')).toBeNull();
  });

  it('asks for the first-proposal stage of the pipelines that have none, and not when every pipeline has one', async () => {
    const waiting = renderSettings(() => ({ status: 200, body: { ...settingsResponse(), needsFirstProposalStage: ['default'] } }));
    await waiting.waitFor(() => expect(waiting.maybeFind(NumberInput)).not.toBeNull());
    const alert = waiting.findByTestId(Alert, 'needs-first-proposal');
    expect(alert.props.title).toBe('Choose the first-proposal stage');
    expect(deepText(alert)).toMatch(/^Sales pipeline: .*the after-proposal model waits/);

    const chosen = renderSettings(() => ({ status: 200, body: settingsResponse() }));
    await chosen.waitFor(() => expect(chosen.maybeFind(NumberInput)).not.toBeNull());
    expect(chosen.maybeFindByTestId(Alert, 'needs-first-proposal')).toBeNull();
  });

  it('says when no model has been trained yet', async () => {
    const none = settingsResponse().models.map((m) => ({
      ...m,
      source: 'not_trained',
      version: null,
      auc: null,
      ece: null,
      holdoutRows: null,
      lastTrainedAt: null,
      driftWarning: null,
    }));
    const { maybeFind, waitFor, findByTestId } = renderSettings(() => ({ status: 200, body: { ...settingsResponse(), models: none } }));
    await waitFor(() => expect(maybeFind(NumberInput)).not.toBeNull());
    for (const m of none) expect(findByTestId(Text, `model-${m.target}-none`).text).toContain('Not trained yet');
  });

  it('shows a load error with retry', async () => {
    let calls = 0;
    const { maybeFind, waitFor, findByTestId } = renderSettings(() =>
      ++calls === 1
        ? { status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'Signature expired.' } } }
        : { status: 200, body: settingsResponse() },
    );
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull());
    findByTestId(Button, 'retry').trigger('onClick');
    await waitFor(() => expect(maybeFind(NumberInput)).not.toBeNull());
  });
});
