import { Divider, Flex, ProgressBar, Statistics, StatisticsItem, StatisticsTrend, Text } from '@hubspot/ui-extensions';
import { useCard } from '../hooks/use-card.ts';
import type { CardApi } from '../shared/api-client.ts';
import type { DealScored } from '../shared/deal-card.ts';
import { formatPercent } from '../shared/format.ts';
import { CardError, CardLoading, NotScoredNotice, PriorModelNotice } from './CardStatus.tsx';
import { ModelFooter } from './ModelFooter.tsx';
import { type AddAlert, NextActions } from './NextActions.tsx';
import { ReasonList } from './ReasonList.tsx';

export interface RecordCardProps {
  api: CardApi;
  recordId: string;
  addAlert: AddAlert;
  timeZone?: string;
}

/** What each deal score means, so "4" is never a bare number. */
export const DEAL_SCORE_MEANING: Record<number, string> = {
  5: 'Among the strongest fifth of open deals in this portal',
  4: 'Stronger than most open deals in this portal',
  3: 'In the middle of this portal’s open deals',
  2: 'Weaker than most open deals in this portal',
  1: 'Among the weakest fifth of open deals in this portal',
};

export function DealCard({ api, recordId, addAlert, timeZone }: RecordCardProps) {
  const card = useCard(api, 'deals', recordId, addAlert);
  if (card.state.status === 'loading') return <CardLoading />;
  if (card.state.status === 'error') return <CardError message={card.state.error} onRetry={card.reload} />;
  const data = card.state.data;
  if (data.state === 'not_scored') return <NotScoredNotice message={data.message} onRescore={() => void card.rescore()} />;
  return (
    <Flex direction="column" gap="sm">
      {data.model.source === 'prior' ? <PriorModelNotice /> : null}
      <DealStatistics data={data} />
      <ProgressBar
        title="Chance to win"
        value={Math.round(data.winProbability)}
        maxValue={100}
        showPercentage
        valueDescription={`${formatPercent(data.winProbability)} of deals scored like this one are won`}
        variant={data.winProbability >= 60 ? 'success' : data.winProbability >= 30 ? 'warning' : 'danger'}
        testId="win-probability-bar"
      />
      <Divider />
      <ReasonList reasons={data.reasons} />
      <Divider />
      <NextActions api={api} objectType="deals" recordId={recordId} actions={data.nextActions} addAlert={addAlert} />
      <Divider />
      <ModelFooter
        model={data.model}
        scoredAt={data.scoredAt}
        rescoring={card.rescoring}
        onRescore={() => void card.rescore()}
        timeZone={timeZone}
      />
    </Flex>
  );
}

function DealStatistics({ data }: { data: DealScored }) {
  const { trend } = data;
  const previous = trend.previousProbability;
  return (
    <Statistics>
      <StatisticsItem label="Chance to win (calibrated)" number={formatPercent(data.winProbability)} testId="win-probability">
        {previous === null ? (
          <Text variant="microcopy">First score for this deal</Text>
        ) : trend.direction === 'steady' ? (
          <Text variant="microcopy" testId="trend">{`Steady (was ${formatPercent(previous)})`}</Text>
        ) : (
          <StatisticsTrend
            direction={trend.direction === 'up' ? 'increase' : 'decrease'}
            value={`from ${formatPercent(previous)}`}
            color={trend.direction === 'up' ? 'green' : 'red'}
            testId="trend"
          />
        )}
      </StatisticsItem>
      <StatisticsItem label="Deal score (1–5)" number={data.dealScore} testId="deal-score">
        <Text variant="microcopy">{DEAL_SCORE_MEANING[data.dealScore]}</Text>
      </StatisticsItem>
    </Statistics>
  );
}
