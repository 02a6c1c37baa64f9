import type { DealScored } from '@closewise/contract';
import { formatPercent } from '@closewise/hubspot-shared/format';
import { Divider, ProgressBar, Statistics, StatisticsItem, StatisticsTrend, Text } from '@hubspot/ui-extensions';
import { ReasonList } from './ReasonList.tsx';
import { type RecordCardProps, ScoredCard } from './ScoredCard.tsx';
import { WhatChanged } from './WhatChanged.tsx';
import { WouldRaise } from './WouldRaise.tsx';

export type { RecordCardProps } from './ScoredCard.tsx';

/** What each deal score means, so "4" is never a bare number. */
export const DEAL_SCORE_MEANING: Record<number, string> = {
  5: 'Among the strongest fifth of open deals in this portal',
  4: 'Stronger than most open deals in this portal',
  3: 'In the middle of this portal’s open deals',
  2: 'Weaker than most open deals in this portal',
  1: 'Among the weakest fifth of open deals in this portal',
};

export function DealCard(props: RecordCardProps) {
  return (
    <ScoredCard objectType="deals" {...props}>
      {(data) => (
        <>
          <DealStatistics data={data} />
          {/* The bar is the number's picture, not a second statement of it: no title, no percentage label. */}
          <ProgressBar
            value={Math.round(data.winProbability)}
            maxValue={100}
            valueDescription={`${formatPercent(data.winProbability)} of deals scored like this one are won`}
            variant={data.winProbability >= 60 ? 'success' : data.winProbability >= 30 ? 'warning' : 'danger'}
            testId="win-probability-bar"
          />
          <WhatChanged change={data.change} timeZone={props.timeZone} />
          <WouldRaise raise={data.raise} />
          <Divider />
          <ReasonList reasons={data.reasons} />
        </>
      )}
    </ScoredCard>
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
