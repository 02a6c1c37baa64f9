import type { CardObjectType, NextAction } from '@closewise/contract';
import type { AddAlert } from '@closewise/hubspot-shared/alerts';
import { type CardApi, newIdempotencyKey } from '@closewise/hubspot-shared/api-client';
import { isoDateInDays, SEVERITY_VARIANTS } from '@closewise/hubspot-shared/format';
import { errorMessage } from '@closewise/hubspot-shared/use-remote-data';
import { Button, ButtonRow, Flex, Heading, LoadingButton, Tag, Text, Tile } from '@hubspot/ui-extensions';
import { useRef, useState } from 'react';

interface Props {
  api: CardApi;
  objectType: CardObjectType;
  recordId: string;
  actions: NextAction[];
  addAlert: AddAlert;
  /** How long "Snooze" hides an action. */
  snoozeDays?: number;
}

type ActionStatus = 'idle' | 'working' | 'done';

/** Ranked next actions; each button's request carries an idempotency key kept per action, so a retry never duplicates. */
export function NextActions({ api, objectType, recordId, actions, addAlert, snoozeDays = 7 }: Props) {
  const [status, setStatus] = useState<Record<string, ActionStatus>>({});
  const [snoozed, setSnoozed] = useState<Record<string, string>>({});
  // One key per action and kind for the card's lifetime: a second click after a lost response replays, not duplicates.
  const keys = useRef(new Map<string, string>());
  const keyFor = (id: string) => {
    const existing = keys.current.get(id);
    if (existing) return existing;
    const key = newIdempotencyKey();
    keys.current.set(id, key);
    return key;
  };

  const visible = actions.filter((a) => !snoozed[a.id]);
  if (visible.length === 0) {
    return (
      <Text testId="no-actions">{actions.length === 0 ? 'No next action suggested right now.' : 'All suggested actions are snoozed.'}</Text>
    );
  }

  async function createTask(action: NextAction) {
    if (action.action.type !== 'create_task') return;
    setStatus((s) => ({ ...s, [action.id]: 'working' }));
    try {
      const result = await api.createTask(objectType, recordId, {
        idempotencyKey: keyFor(`task:${action.id}`),
        actionId: action.id,
        title: action.action.title,
        dueDate: action.action.dueDate,
      });
      setStatus((s) => ({ ...s, [action.id]: 'done' }));
      // HubSpot has no owner record for this user (so no one to assign it to): say so, or the rep looks in vain.
      const done = result.created ? `Task created: ${action.action.title}` : 'This task already exists.';
      const unassigned =
        result.assignedToYou === false ? `${result.created ? '.' : ''} It is unassigned: HubSpot has no owner record for you.` : '';
      addAlert({ type: 'success', message: `${done}${unassigned}` });
    } catch (error) {
      setStatus((s) => ({ ...s, [action.id]: 'idle' }));
      addAlert({ type: 'danger', message: `Task not created. ${errorMessage(error)}` });
    }
  }

  async function snooze(action: NextAction) {
    try {
      const until = isoDateInDays(snoozeDays);
      const result = await api.snooze(objectType, recordId, { idempotencyKey: keyFor(`snooze:${action.id}`), actionId: action.id, until });
      setSnoozed((s) => ({ ...s, [action.id]: result.until }));
      addAlert({ type: 'info', message: `Snoozed until ${result.until}.` });
    } catch (error) {
      addAlert({ type: 'danger', message: `Not snoozed. ${errorMessage(error)}` });
    }
  }

  return (
    <Flex direction="column" gap="xs">
      <Heading>Next best actions</Heading>
      {visible.map((action, index) => (
        <Tile compact key={action.id} testId={`action-${action.id}`}>
          <Flex direction="column" gap="xs">
            <Flex direction="row" gap="xs" align="center">
              <Tag variant={SEVERITY_VARIANTS[action.severity]}>{`${index + 1}. ${action.severity} priority`}</Tag>
              <Text>{action.sentence}</Text>
            </Flex>
            <ButtonRow>
              {action.action.type === 'create_task' ? (
                <LoadingButton
                  size="xs"
                  variant="primary"
                  loading={status[action.id] === 'working'}
                  disabled={status[action.id] === 'done'}
                  onClick={() => void createTask(action)}
                  testId={`create-task-${action.id}`}
                >
                  {status[action.id] === 'done' ? 'Task created' : 'Create task'}
                </LoadingButton>
              ) : null}
              <Button size="xs" variant="secondary" onClick={() => void snooze(action)} testId={`snooze-${action.id}`}>
                {`Snooze ${snoozeDays} days`}
              </Button>
            </ButtonRow>
          </Flex>
        </Tile>
      ))}
    </Flex>
  );
}
