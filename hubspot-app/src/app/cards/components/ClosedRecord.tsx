import type { ContactCustomer, DealClosed, LastScore } from '@closewise/contract';
import { formatDate, formatDateTime, formatPercent } from '@closewise/hubspot-shared/format';
import { Flex, Tag, Text } from '@hubspot/ui-extensions';

/**
 * A record whose outcome is known: Closewise no longer scores it, so the card says how it ended and what the
 * last score before that was, and offers nothing to rescore.
 */

function lastScoreSentence(score: LastScore | null, what: string, before: string, never: string, timeZone?: string): string {
  return score === null
    ? never
    : `Last Closewise ${what} before ${before}: ${formatPercent(score.probability)}, scored ${formatDateTime(score.scoredAt, 'en-US', timeZone)}.`;
}

export function ClosedDeal({ data, timeZone }: { data: DealClosed; timeZone?: string }) {
  const won = data.outcome === 'won';
  return (
    <Flex direction="column" gap="sm" testId="closed-deal">
      <Flex direction="row" gap="xs" align="center">
        <Tag variant={won ? 'success' : 'error'} testId="deal-outcome">
          {won ? 'Closed won' : 'Closed lost'}
        </Tag>
        <Text testId="closed-on">
          {data.closedAt === null
            ? `In stage '${data.stageLabel}'; the CRM records no close date.`
            : `Closed on ${formatDate(data.closedAt, 'en-US', timeZone)}, in stage '${data.stageLabel}'.`}
        </Text>
      </Flex>
      <Text testId="last-score">
        {lastScoreSentence(
          data.lastScoreBeforeClose,
          'win probability',
          'close',
          'Closewise did not score this deal while it was open.',
          timeZone,
        )}
      </Text>
      <Text variant="microcopy">Closewise scores open deals only; this deal keeps the outcome it closed with.</Text>
    </Flex>
  );
}

export function CustomerContact({ data, timeZone }: { data: ContactCustomer; timeZone?: string }) {
  return (
    <Flex direction="column" gap="sm" testId="customer-contact">
      <Flex direction="row" gap="xs" align="center">
        <Tag variant="success" testId="contact-outcome">
          Customer
        </Tag>
        <Text testId="customer-since">
          {data.customerSince === null
            ? 'This contact is a customer.'
            : `A customer since ${formatDate(data.customerSince, 'en-US', timeZone)}.`}
        </Text>
      </Flex>
      <Text testId="last-score">
        {lastScoreSentence(
          data.lastScoreBeforeCustomer,
          'likelihood to close',
          'becoming a customer',
          'Closewise did not score this contact before it became a customer.',
          timeZone,
        )}
      </Text>
      <Text variant="microcopy">Closewise scores contacts until they become customers.</Text>
    </Flex>
  );
}
