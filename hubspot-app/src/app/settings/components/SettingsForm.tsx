import { type SettingsResponse, type SettingsValues, settingsValuesSchema } from '@closewise/contract';
import type { AddAlert } from '@closewise/hubspot-shared/alerts';
import type { CardApi } from '@closewise/hubspot-shared/api-client';
import { errorMessage } from '@closewise/hubspot-shared/use-remote-data';
import {
  Alert,
  Divider,
  Flex,
  Heading,
  Input,
  LoadingButton,
  MultiSelect,
  NumberInput,
  Select,
  Text,
  Toggle,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ModelAccuracy } from './ModelAccuracy.tsx';

interface Props {
  api: CardApi;
  addAlert: AddAlert;
  initial: SettingsResponse;
  onSaved: (saved: SettingsResponse) => void;
}

type FieldErrors = Partial<Record<keyof SettingsValues, string>>;

const OBJECT_LABEL: Record<SettingsResponse['availableProperties'][number]['objectType'], string> = {
  deal: 'Deal',
  contact: 'Contact',
  company: 'Company',
  owner: 'Deal owner',
  activity: 'Activities',
};

/** MultiSelect has no option groups: each option names its object type, so a search for "Deal" lists the deal's. */
function propertyOptions(properties: SettingsResponse['availableProperties']) {
  return properties.map((p) => ({ label: `${OBJECT_LABEL[p.objectType]} · ${p.label}`, value: p.name }));
}

/** Validates with the same schema the server uses, so an admin sees the problem beside the field, not as a 400. */
function validate(values: SettingsValues): { ok: true; values: SettingsValues } | { ok: false; errors: FieldErrors } {
  const parsed = settingsValuesSchema.safeParse(values);
  if (parsed.success) return { ok: true, values: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof SettingsValues | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return { ok: false, errors };
}

export function SettingsForm({ api, addAlert, initial, onSaved }: Props) {
  const [values, setValues] = useState<SettingsValues>(initial.values);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const set = <K extends keyof SettingsValues>(key: K, value: SettingsValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const pipelineSetting = (pipelineId: string) =>
    values.pipelines.find((p) => p.pipelineId === pipelineId) ?? { pipelineId, included: false, firstProposalStageId: null };
  const setPipeline = (pipelineId: string, patch: Partial<SettingsValues['pipelines'][number]>) =>
    set('pipelines', [...values.pipelines.filter((p) => p.pipelineId !== pipelineId), { ...pipelineSetting(pipelineId), ...patch }]);

  async function save() {
    const checked = validate(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setSaveError(null);
    setSaving(true);
    try {
      const saved = await api.saveSettings(checked.values);
      onSaved(saved);
      setValues(saved.values);
      addAlert({ type: 'success', message: 'Closewise settings saved. New thresholds apply from the next scoring run.' });
    } catch (error) {
      setSaveError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  }

  const numberError = (key: keyof SettingsValues) => (errors[key] ? { error: true, validationMessage: errors[key] } : {});

  return (
    <Flex direction="column" gap="md">
      {saveError ? (
        <Alert title="Settings not saved" variant="danger" testId="save-error">
          {saveError}
        </Alert>
      ) : null}
      <Heading>Score thresholds</Heading>
      <NumberInput
        label="Volatile-score threshold (variance)"
        name="varianceThreshold"
        description="A deal whose recent win probabilities vary more than this (0–1) is flagged as volatile."
        value={values.varianceThreshold}
        min={0}
        max={1}
        precision={3}
        onChange={(v) => set('varianceThreshold', v)}
        {...numberError('varianceThreshold')}
        testId="variance-threshold"
      />
      <NumberInput
        label="Stalled-deal percentile"
        name="stalledDealPercentile"
        description="A deal is stalled when its time in stage exceeds this percentile of won deals' time in the same stage (50–99)."
        value={values.stalledDealPercentile}
        min={50}
        max={99}
        onChange={(v) => set('stalledDealPercentile', v)}
        {...numberError('stalledDealPercentile')}
        testId="stalled-percentile"
      />
      <NumberInput
        label="Lonely window (days)"
        name="lonelyWindowDays"
        description="A company with no logged activity for this many days is shown as lonely."
        value={values.lonelyWindowDays}
        min={1}
        max={365}
        onChange={(v) => set('lonelyWindowDays', v)}
        {...numberError('lonelyWindowDays')}
        testId="lonely-window"
      />
      <Divider />
      <Heading>Retraining</Heading>
      <Input
        label="Retraining schedule (cron, UTC)"
        name="retrainingCron"
        description="Five fields: minute hour day-of-month month day-of-week. 0 3 * * 0 = Sundays at 03:00 UTC."
        value={values.retrainingCron}
        onChange={(v) => set('retrainingCron', v)}
        {...numberError('retrainingCron')}
        testId="retraining-cron"
      />
      <MultiSelect
        label="Properties excluded from models"
        name="excludedProperties"
        description="Fields that are filled in after the outcome (or that you do not want used) never reach the model."
        value={values.excludedProperties}
        placeholder="Search properties to exclude"
        options={propertyOptions(initial.availableProperties)}
        onChange={(v) => set('excludedProperties', v.map(String))}
        testId="excluded-properties"
      />
      <Divider />
      <Heading>Pipelines</Heading>
      {initial.needsFirstProposalStage.length > 0 ? (
        <Alert title="Choose the first-proposal stage" variant="warning" testId="needs-first-proposal">
          {`${initial.availablePipelines
            .filter((p) => initial.needsFirstProposalStage.includes(p.id))
            .map((p) => p.label)
            .join(
              ', ',
            )}: no stage is chosen or named like a proposal, so the after-proposal model waits and these deals are scored by the at-creation model. Pick the stage where proposals go out below.`}
        </Alert>
      ) : null}
      {initial.availablePipelines.map((pipeline) => {
        const setting = pipelineSetting(pipeline.id);
        return (
          <Flex direction="row" gap="md" align="end" key={pipeline.id}>
            <Toggle
              label={`Score ${pipeline.label}`}
              name={`include-${pipeline.id}`}
              checked={setting.included}
              onChange={(checked) => setPipeline(pipeline.id, { included: checked })}
              testId={`include-${pipeline.id}`}
            />
            <Select
              label="Stage that counts as first proposal"
              name={`first-proposal-${pipeline.id}`}
              description="Closed Won and Closed Lost end a deal, so they are not offered."
              placeholder="Not chosen: a stage named like “proposal”, else none"
              value={setting.firstProposalStageId ?? undefined}
              options={pipeline.stages.filter((s) => !s.closed).map((s) => ({ label: s.label, value: s.id }))}
              onChange={(v) => setPipeline(pipeline.id, { firstProposalStageId: String(v) })}
              testId={`first-proposal-${pipeline.id}`}
            />
          </Flex>
        );
      })}
      {errors.pipelines ? <Text testId="pipelines-error">{errors.pipelines}</Text> : null}
      <Divider />
      <ModelAccuracy models={initial.models} />
      <LoadingButton variant="primary" loading={saving} onClick={() => void save()} testId="save-settings">
        Save settings
      </LoadingButton>
    </Flex>
  );
}
