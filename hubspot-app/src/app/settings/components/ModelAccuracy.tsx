import type { SettingsResponse } from '@closewise/contract';
import { formatDateTime } from '@closewise/hubspot-shared/format';
import { DescriptionList, DescriptionListItem, Flex, Heading, Text } from '@hubspot/ui-extensions';

/** Read-only: how good the current model is, each number with what it means. */
export function ModelAccuracy({ accuracy }: { accuracy: SettingsResponse['modelAccuracy'] }) {
  if (accuracy.modelVersion === null) {
    return (
      <Flex direction="column" gap="xs">
        <Heading>Current model</Heading>
        <Text testId="no-model">No model trained on this portal yet: scores come from the prior model until the first retraining.</Text>
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="xs">
      <Heading>Current model</Heading>
      <DescriptionList direction="row">
        <DescriptionListItem label="Model version">
          <Text testId="model-version">{accuracy.modelVersion}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="AUC (ranking, 0.5 = coin flip, 1 = perfect)">
          <Text testId="model-auc">{accuracy.auc === null ? 'Not measured yet' : accuracy.auc.toFixed(2)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Calibration error (ECE, 0 = probabilities match outcomes)">
          <Text testId="model-ece">
            {accuracy.ece === null ? 'Not measured yet' : `${(accuracy.ece * 100).toFixed(1)} percentage points on average`}
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label="Last trained">
          <Text testId="model-trained">
            {accuracy.lastTrainedAt === null ? 'Never' : formatDateTime(accuracy.lastTrainedAt, 'en-US', 'UTC')}
          </Text>
        </DescriptionListItem>
      </DescriptionList>
    </Flex>
  );
}
