import type { ContactScored } from '@closewise/contract';
import { formatPercent, PRIORITY_LABELS } from '@closewise/hubspot-shared/format';
import { DescriptionList, DescriptionListItem, Divider, Flex, List, Statistics, StatisticsItem, Tag, Text } from '@hubspot/ui-extensions';
import { ReasonList } from './ReasonList.tsx';
import { type RecordCardProps, ScoredCard } from './ScoredCard.tsx';
import { WhatChanged } from './WhatChanged.tsx';
import { WouldRaise } from './WouldRaise.tsx';

const TIER_MEANING = {
  very_high: 'Top quarter of this portal’s contacts',
  high: 'Second quarter of this portal’s contacts',
  medium: 'Third quarter of this portal’s contacts',
  low: 'Bottom quarter of this portal’s contacts',
} as const;

const FIT_MEANING = { A: 'strong fit', B: 'good fit', C: 'weak fit', D: 'poor fit' } as const;
const ENGAGEMENT_MEANING = { 1: 'highly engaged', 2: 'engaged', 3: 'lightly engaged', 4: 'not engaged' } as const;

export function ContactCard(props: RecordCardProps) {
  return (
    <ScoredCard objectType="contacts" {...props}>
      {(data) => (
        <>
          <ContactStatistics data={data} />
          <LeadGrade data={data} />
          <WhatChanged change={data.change} timeZone={props.timeZone} />
          <WouldRaise raise={data.raise} />
          <Divider />
          <ReasonList reasons={data.reasons} />
        </>
      )}
    </ScoredCard>
  );
}

function ContactStatistics({ data }: { data: ContactScored }) {
  return (
    <Statistics>
      <StatisticsItem label="Likelihood to close in 90 days" number={formatPercent(data.closeLikelihood90d)} testId="close-likelihood">
        <Text variant="microcopy">Calibrated chance this contact becomes a customer within 90 days</Text>
      </StatisticsItem>
      <StatisticsItem label="Priority" number={PRIORITY_LABELS[data.priorityTier]} testId="priority-tier">
        <Text variant="microcopy">{TIER_MEANING[data.priorityTier]}</Text>
      </StatisticsItem>
    </Statistics>
  );
}

function LeadGrade({ data }: { data: ContactScored }) {
  const { leadGrade } = data;
  const engagement = leadGrade.engagement as keyof typeof ENGAGEMENT_MEANING;
  return (
    <DescriptionList direction="row">
      <DescriptionListItem label="Lead grade (fit × engagement)">
        <Flex direction="column" gap="xs">
          <Flex direction="row" gap="xs" align="center">
            <Tag variant="info" testId="lead-grade">
              {leadGrade.grade}
            </Tag>
            <Text>{`Fit ${leadGrade.fit}: ${FIT_MEANING[leadGrade.fit]} · Engagement ${leadGrade.engagement}: ${ENGAGEMENT_MEANING[engagement]}`}</Text>
          </Flex>
          <List variant="unordered" testId="lead-grade-why">
            {leadGrade.why.map((sentence) => (
              <Text key={sentence} variant="microcopy">
                {sentence}
              </Text>
            ))}
          </List>
        </Flex>
      </DescriptionListItem>
    </DescriptionList>
  );
}
