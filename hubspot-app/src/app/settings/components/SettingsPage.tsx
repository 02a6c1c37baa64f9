import { CardError, CardLoading } from '../../cards/components/CardStatus.tsx';
import type { AddAlert } from '../../cards/components/NextActions.tsx';
import { useRemoteData } from '../../cards/hooks/use-remote-data.ts';
import type { CardApi } from '../../cards/shared/api-client.ts';
import { SettingsForm } from './SettingsForm.tsx';

export function SettingsPage({ api, addAlert }: { api: CardApi; addAlert: AddAlert }) {
  const remote = useRemoteData('settings', () => api.getSettings());
  if (remote.state.status === 'loading') return <CardLoading />;
  if (remote.state.status === 'error') return <CardError message={remote.state.error} onRetry={remote.reload} />;
  return <SettingsForm api={api} addAlert={addAlert} initial={remote.state.data} onSaved={remote.replace} />;
}
