import type { WouldRaise as WouldRaiseList } from '@closewise/contract';
import { formatPercent, formatPoints } from '@closewise/hubspot-shared/format';
import { Flex, Heading, List, Text } from '@hubspot/ui-extensions';

/**
 * "What would raise it": up to three changes the rep can make, each with the model's estimate if done.
 * Labelled as estimates in the heading and under the list: they come from rescoring the record with the
 * change applied, which is what the model would say, not a promise of what the buyer will do.
 */
export function WouldRaise({ raise }: { raise: WouldRaiseList | undefined }) {
  if (!raise || raise.length === 0) return null;
  return (
    <Flex direction="column" gap="flush">
      <Heading>What would raise it (estimates)</Heading>
      <List variant="unordered-styled" testId="would-raise">
        {raise.map((item) => (
          <Text key={item.action}>{`${item.label}: about ${formatPercent(item.estimate)} (${formatPoints(item.points)})`}</Text>
        ))}
      </List>
      <Text variant="microcopy">The model’s score of this record if done today; an estimate, not a promise.</Text>
    </Flex>
  );
}
