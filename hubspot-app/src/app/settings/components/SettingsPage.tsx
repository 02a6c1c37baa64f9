import type { AddAlert } from '@closewise/hubspot-shared/alerts';
import type { CardApi } from '@closewise/hubspot-shared/api-client';
import { CardError, CardLoading } from '@closewise/hubspot-shared/card-status';
import { useRemoteData } from '@closewise/hubspot-shared/use-remote-data';
import { SettingsForm } from './SettingsForm.tsx';

export function SettingsPage({ api, addAlert }: { api: CardApi; addAlert: AddAlert }) {
  const remote = useRemoteData('settings', () => api.getSettings());
  if (remote.state.status === 'loading') return <CardLoading />;
  if (remote.state.status === 'error') return <CardError message={remote.state.error} onRetry={remote.reload} />;
  return <SettingsForm api={api} addAlert={addAlert} initial={remote.state.data} onSaved={remote.replace} />;
}
