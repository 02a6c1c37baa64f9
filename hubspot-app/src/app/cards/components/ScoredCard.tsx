import type { CardObjectType } from '@closewise/contract';
import type { AddAlert } from '@closewise/hubspot-shared/alerts';
import type { CardApi, CardDataFor } from '@closewise/hubspot-shared/api-client';
import { CardError, CardLoading, NoSignalNotice, NotScoredNotice, PriorModelNotice } from '@closewise/hubspot-shared/card-status';
import { Divider, Flex } from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';
import { useCard } from '../hooks/use-card.ts';
import { ClosedDeal, CustomerContact } from './ClosedRecord.tsx';
import { ModelFooter } from './ModelFooter.tsx';
import { NextActions } from './NextActions.tsx';

export interface RecordCardProps {
  api: CardApi;
  recordId: string;
  addAlert: AddAlert;
  timeZone?: string;
}

type ScoredOf<T extends CardObjectType> = Extract<CardDataFor<T>, { state: 'scored' }>;

interface ScoredCardProps<T extends CardObjectType> extends RecordCardProps {
  objectType: T;
  /** The card's own part, between the prior-model notice and the next actions. */
  children: (data: ScoredOf<T>) => ReactNode;
}

/**
 * The frame every record card shares: loading, error (with retry), not-scored and closed states (a closed deal,
 * a customer: nothing to rescore); once scored, the prior-model notice, the card's own body, the ranked next
 * actions and the model footer with "Rescore now".
 */
export function ScoredCard<T extends CardObjectType>({ objectType, api, recordId, addAlert, timeZone, children }: ScoredCardProps<T>) {
  const card = useCard(api, objectType, recordId, addAlert);
  if (card.state.status === 'loading') return <CardLoading />;
  if (card.state.status === 'error') return <CardError message={card.state.error} onRetry={card.reload} />;
  const data = card.state.data;
  if (data.state === 'not_scored') return <NotScoredNotice message={data.message} onRescore={() => void card.rescore()} />;
  if (data.state === 'closed') return <ClosedDeal data={data} timeZone={timeZone} />;
  if (data.state === 'customer') return <CustomerContact data={data} timeZone={timeZone} />;
  const scored = data as ScoredOf<T>;
  return (
    <Flex direction="column" gap="sm">
      {scored.model.source === 'prior' ? <PriorModelNotice /> : null}
      {scored.model.predictive === false ? <NoSignalNotice auc={scored.model.auc} /> : null}
      {children(scored)}
      <Divider />
      <NextActions api={api} objectType={objectType} recordId={recordId} actions={scored.nextActions} addAlert={addAlert} />
      <Divider />
      <ModelFooter
        model={scored.model}
        scoredAt={scored.scoredAt}
        rescoring={card.rescoring}
        onRescore={() => void card.rescore()}
        timeZone={timeZone}
      />
    </Flex>
  );
}
