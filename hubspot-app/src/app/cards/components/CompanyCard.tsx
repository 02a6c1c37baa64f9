import type { CompanyScored } from '@closewise/contract';
import { formatDate, formatPercent, PRIORITY_LABELS } from '@closewise/hubspot-shared/format';
import {
  DescriptionList,
  DescriptionListItem,
  Divider,
  Flex,
  Heading,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { type RecordCardProps, ScoredCard } from './ScoredCard.tsx';

const ENGAGEMENT_LABELS = { high: 'High', medium: 'Medium', lonely: 'Lonely' } as const;
const ENGAGEMENT_VARIANTS = { high: 'success', medium: 'info', lonely: 'warning' } as const;
const TIER_ORDER = { very_high: 0, high: 1, medium: 2, low: 3 } as const;

export function CompanyCard(props: RecordCardProps) {
  return (
    <ScoredCard objectType="companies" {...props}>
      {(data) => (
        <>
          <Engagement data={data} timeZone={props.timeZone} />
          <Divider />
          <OpenDeals data={data} />
          <ContactsByPriority data={data} />
        </>
      )}
    </ScoredCard>
  );
}

function Engagement({ data, timeZone }: { data: CompanyScored; timeZone?: string }) {
  const { engagement } = data;
  const meaning =
    engagement.level === 'lonely'
      ? `No logged activity in the last ${engagement.lonelyWindowDays} days`
      : engagement.level === 'high'
        ? 'Activity well above this portal’s typical account'
        : 'Activity around this portal’s typical account';
  return (
    <DescriptionList direction="row">
      <DescriptionListItem label="Engagement">
        <Flex direction="row" gap="xs" align="center">
          <Tag variant={ENGAGEMENT_VARIANTS[engagement.level]} testId="engagement-level">
            {ENGAGEMENT_LABELS[engagement.level]}
          </Tag>
          <Text variant="microcopy">{meaning}</Text>
        </Flex>
      </DescriptionListItem>
      <DescriptionListItem label="Last activity">
        <Text testId="last-activity">
          {engagement.lastActivityAt ? formatDate(engagement.lastActivityAt, 'en-US', timeZone) : 'None logged'}
        </Text>
      </DescriptionListItem>
      <DescriptionListItem label="Activities (30 / 90 days)">
        <Text testId="activity-counts">{`${engagement.activityCount30d} in 30 days · ${engagement.activityCount90d} in 90 days`}</Text>
      </DescriptionListItem>
    </DescriptionList>
  );
}

function OpenDeals({ data }: { data: CompanyScored }) {
  if (data.openDeals.length === 0) return <Text testId="no-open-deals">No open deals on this company.</Text>;
  return (
    <Flex direction="column" gap="xs">
      <Heading>Open deals</Heading>
      <Table bordered testId="open-deals">
        <TableHead>
          <TableRow>
            <TableHeader>Deal</TableHeader>
            <TableHeader>Stage</TableHeader>
            <TableHeader>Chance to win</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {data.openDeals.map((deal) => (
            <TableRow key={deal.id}>
              <TableCell>{deal.name}</TableCell>
              <TableCell>{deal.stageLabel}</TableCell>
              <TableCell>{deal.winProbability === null ? 'Not scored yet' : formatPercent(deal.winProbability)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}

function ContactsByPriority({ data }: { data: CompanyScored }) {
  if (data.contacts.length === 0) return <Text testId="no-contacts">No contacts on this company.</Text>;
  const sorted = [...data.contacts].sort(
    (a, b) => (a.priorityTier === null ? 9 : TIER_ORDER[a.priorityTier]) - (b.priorityTier === null ? 9 : TIER_ORDER[b.priorityTier]),
  );
  return (
    <Flex direction="column" gap="xs">
      <Heading>Contacts by priority</Heading>
      <Table bordered testId="contacts-by-priority">
        <TableHead>
          <TableRow>
            <TableHeader>Contact</TableHeader>
            <TableHeader>Priority</TableHeader>
            <TableHeader>Likelihood to close in 90 days</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map((contact) => (
            <TableRow key={contact.id}>
              <TableCell>{contact.name}</TableCell>
              <TableCell>{contact.priorityTier === null ? 'Not scored yet' : PRIORITY_LABELS[contact.priorityTier]}</TableCell>
              <TableCell>{contact.closeLikelihood90d === null ? '—' : formatPercent(contact.closeLikelihood90d)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
