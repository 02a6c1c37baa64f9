import type { ModelInfo } from '@closewise/contract';
import { formatDateTime } from '@closewise/hubspot-shared/format';
import { Flex, LoadingButton, Text } from '@hubspot/ui-extensions';

export function describeModel(model: ModelInfo): string {
  const auc = model.auc === undefined ? '' : `AUC ${model.auc.toFixed(2)} on held-out records`;
  // Below ~0.6 a model ranks records only a little better than chance; say so instead of implying precision.
  const weak = model.auc !== undefined && model.auc < 0.6 ? ' — weak so far: treat the score as a hint' : '';
  // The name in words says what it predicts and what it learned from; older backends send only the version.
  if (model.name) return auc || weak ? `${model.name} (${auc}${weak})` : model.name;
  const origin = model.source === 'portal' ? 'trained on this portal' : 'prior model';
  return `Model ${model.version} (${origin}${auc ? `, ${auc}` : ''}${weak})`;
}

export function ModelFooter(props: { model: ModelInfo; scoredAt: string; rescoring: boolean; onRescore: () => void; timeZone?: string }) {
  return (
    <Flex direction="row" justify="between" align="center" gap="sm">
      <Text variant="microcopy" testId="model-footer">
        {describeModel(props.model)} · scored {formatDateTime(props.scoredAt, 'en-US', props.timeZone)}
      </Text>
      <LoadingButton size="xs" variant="secondary" loading={props.rescoring} onClick={() => props.onRescore()} testId="rescore-now">
        Rescore now
      </LoadingButton>
    </Flex>
  );
}
