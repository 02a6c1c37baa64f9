import type { CardObjectType } from '@closewise/contract';
import { useState } from 'react';
import type { AddAlert } from '../components/NextActions.tsx';
import { type CardApi, type CardDataFor, newIdempotencyKey } from '../shared/api-client.ts';
import { errorMessage, type RemoteData, useRemoteData } from './use-remote-data.ts';

export interface CardData<T extends CardObjectType> extends RemoteData<CardDataFor<T>> {
  rescoring: boolean;
  rescore: () => Promise<void>;
}

/** Loads a record's card and offers "Rescore now", whose response replaces the card's data. */
export function useCard<T extends CardObjectType>(api: CardApi, objectType: T, recordId: string, addAlert: AddAlert): CardData<T> {
  const remote = useRemoteData(`${objectType}:${recordId}`, () => api.getCard(objectType, recordId));
  const [rescoring, setRescoring] = useState(false);

  async function rescore() {
    setRescoring(true);
    try {
      remote.replace(await api.rescore(objectType, recordId, { idempotencyKey: newIdempotencyKey() }));
      addAlert({ type: 'success', message: 'Rescored with the latest CRM data.' });
    } catch (error) {
      addAlert({ type: 'danger', message: `Rescore failed. ${errorMessage(error)}` });
    } finally {
      setRescoring(false);
    }
  }
  return { ...remote, rescoring, rescore };
}
