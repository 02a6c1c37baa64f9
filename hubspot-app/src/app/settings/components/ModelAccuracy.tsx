import type { SettingsResponse } from '@closewise/contract';
import { formatDateTime } from '@closewise/hubspot-shared/format';
import { Alert, DescriptionList, DescriptionListItem, Flex, Heading, Text } from '@hubspot/ui-extensions';

type Model = SettingsResponse['models'][number];

const MODEL_LABEL: Record<Model['target'], string> = {
  contact_close_90d: 'Contact: likelihood to close in 90 days',
  contact_fit: 'Contact: fit (profile only)',
  deal_win_at_creation: 'Deal: win chance at creation',
  deal_win_after_proposal: 'Deal: win chance after the first proposal',
};

const SOURCE_LABEL: Record<Model['source'], string> = {
  portal: 'trained on this portal',
  prior: 'starting model (this portal has too little closed history yet)',
  not_trained: 'not trained yet',
};

/** One model's hold-out figures, each with what it means; a model that does not exist yet says so. */
function ModelFigures({ model }: { model: Model }) {
  const id = model.target;
  if (model.source === 'not_trained') {
    return (
      <Flex direction="column" gap="xs">
        <Heading>{MODEL_LABEL[id]}</Heading>
        <Text testId={`model-${id}-none`}>Not trained yet: it appears after the first retraining.</Text>
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="xs">
      <Heading>{MODEL_LABEL[id]}</Heading>
      {model.driftWarning ? (
        <Alert title="The data has drifted since training" variant="warning" testId={`model-${id}-drift`}>
          {model.driftWarning}
        </Alert>
      ) : null}
      {model.predictive === false ? (
        <Alert title="History does not predict outcomes yet" variant="warning" testId={`model-${id}-no-signal`}>
          {`On records as they were created, this model tells won from lost barely better than chance (AUC ${model.firstSnapshotAuc?.toFixed(2) ?? '?'}). Cards say so next to each score. More telling history helps: logged activities, stage changes, fields reps fill in early.`}
        </Alert>
      ) : null}
      <DescriptionList direction="row">
        <DescriptionListItem label="Model">
          <Text testId={`model-${id}-version`}>{`v${model.version ?? '?'}, ${SOURCE_LABEL[model.source]}`}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="AUC (ranking, 0.5 = coin flip, 1 = perfect)">
          <Text testId={`model-${id}-auc`}>{model.auc === null ? 'Not measured yet' : model.auc.toFixed(2)}</Text>
        </DescriptionListItem>
        {model.firstSnapshotAuc === undefined ? null : (
          <DescriptionListItem label="AUC on records as they were created (what a rep sees first)">
            <Text testId={`model-${id}-first-auc`}>{model.firstSnapshotAuc.toFixed(2)}</Text>
          </DescriptionListItem>
        )}
        <DescriptionListItem label="Calibration error (ECE, 0 = probabilities match outcomes)">
          <Text testId={`model-${id}-ece`}>
            {model.ece === null ? 'Not measured yet' : `${(model.ece * 100).toFixed(1)} percentage points on average`}
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label="Hold-out (records tested on, never trained on)">
          <Text testId={`model-${id}-holdout`}>{model.holdoutRows === null ? 'Not measured yet' : String(model.holdoutRows)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Last trained">
          <Text testId={`model-${id}-trained`}>
            {model.lastTrainedAt === null ? 'Never' : formatDateTime(model.lastTrainedAt, 'en-US', 'UTC')}
          </Text>
        </DescriptionListItem>
      </DescriptionList>
    </Flex>
  );
}

/** Read-only: how good each of the four models is. */
export function ModelAccuracy({ models }: { models: SettingsResponse['models'] }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Model accuracy</Heading>
      {models.map((model) => (
        <ModelFigures model={model} key={model.target} />
      ))}
    </Flex>
  );
}
