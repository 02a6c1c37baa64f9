import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import type { ObjectType } from '../../store/schema.ts';

/** HubSpot-defined association type ids from a task to the record it is about. */
const TASK_TO: Record<ObjectType, number> = { deal: 216, contact: 204, company: 192 };

export interface NewTask {
  title: string;
  /** YYYY-MM-DD; the task is due at 09:00 UTC that day. */
  dueDate: string;
  body?: string;
  /** The owner the task is assigned to (`hubspot_owner_id`); unassigned without one. */
  ownerId?: string;
}

/** Creates a not-started task associated with the record and returns its id. */
export async function createHubSpotTask(client: Client, objectType: ObjectType, recordId: string, task: NewTask): Promise<string> {
  const created = await client.crm.objects.tasks.basicApi.create({
    properties: {
      hs_task_subject: task.title,
      hs_timestamp: new Date(`${task.dueDate}T09:00:00Z`).toISOString(),
      hs_task_status: 'NOT_STARTED',
      hs_task_priority: 'MEDIUM',
      ...(task.body ? { hs_task_body: task.body } : {}),
      ...(task.ownerId ? { hubspot_owner_id: task.ownerId } : {}),
    },
    associations: [
      {
        to: { id: recordId },
        types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: TASK_TO[objectType] }],
      },
    ],
  });
  return created.id;
}
