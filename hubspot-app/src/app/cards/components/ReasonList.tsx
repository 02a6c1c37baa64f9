import type { Reason } from '@closewise/contract';
import { Flex, Heading, List, Text } from '@hubspot/ui-extensions';

/** Reasons split into what helps and what hurts, each a sentence a rep can act on. */
export function ReasonList({ reasons }: { reasons: Reason[] }) {
  if (reasons.length === 0) return <Text testId="no-reasons">No single factor stands out for this record.</Text>;
  const positive = reasons.filter((r) => r.direction === 'positive');
  const negative = reasons.filter((r) => r.direction === 'negative');
  return (
    <Flex direction="column" gap="xs">
      <Heading>Why this score</Heading>
      {positive.length > 0 ? <ReasonGroup title="Helping" reasons={positive} testId="reasons-positive" /> : null}
      {negative.length > 0 ? <ReasonGroup title="Hurting" reasons={negative} testId="reasons-negative" /> : null}
    </Flex>
  );
}

function ReasonGroup({ title, reasons, testId }: { title: string; reasons: Reason[]; testId: string }) {
  return (
    <Flex direction="column" gap="flush">
      <Text format={{ fontWeight: 'demibold' }}>{title}</Text>
      <List variant="unordered-styled" testId={testId}>
        {reasons.map((reason) => (
          <Text key={`${reason.feature}:${reason.sentence}`}>{reason.sentence}</Text>
        ))}
      </List>
    </Flex>
  );
}
