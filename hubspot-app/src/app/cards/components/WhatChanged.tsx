import type { ScoreChange } from '@closewise/contract';
import { formatDayMonth, formatPoints } from '@closewise/hubspot-shared/format';
import { Flex, Heading, List, Text } from '@hubspot/ui-extensions';

/**
 * "+12 pts since 3 Nov" and the factors that moved the score most. Nothing on a first score: there is no
 * earlier score to compare with, and "First score" is already said beside the number.
 */
export function WhatChanged({ change, timeZone }: { change: ScoreChange | undefined; timeZone?: string }) {
  if (!change) return null;
  return (
    <Flex direction="column" gap="flush">
      <Heading>What changed</Heading>
      <Text testId="what-changed">{`${formatPoints(change.points)} since ${formatDayMonth(change.since, timeZone)}`}</Text>
      {change.movers.length > 0 ? (
        <List variant="unordered-styled" testId="what-changed-movers">
          {change.movers.map((mover) => (
            <Text key={mover.label}>{`${mover.label} (${formatPoints(mover.points)})`}</Text>
          ))}
        </List>
      ) : null}
      <Text variant="microcopy">Each factor’s points: what it alone would have changed.</Text>
    </Flex>
  );
}
