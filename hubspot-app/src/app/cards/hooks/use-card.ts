import type { CardObjectType } from '@closewise/contract';
import type { AddAlert } from '@closewise/hubspot-shared/alerts';
import { type CardApi, type CardDataFor, newIdempotencyKey } from '@closewise/hubspot-shared/api-client';
import { errorMessage, type RemoteData, useRemoteData } from '@closewise/hubspot-shared/use-remote-data';
import { useState } from 'react';

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
