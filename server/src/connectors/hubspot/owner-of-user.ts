import type { Client } from '@hubspot/api-client';
import { hubSpotErrorStatus } from './hubspot-client.ts';

/**
 * The owner id of a HubSpot user, or null when the user has no owner record (HubSpot creates one per user with
 * access to records; a super admin without a seat, for instance, may have none). A UI extension's request names
 * the user (`userId`), but records and tasks take the owner id: HubSpot refuses a user id in `hubspot_owner_id`.
 */
export async function ownerIdOfUser(client: Client, userId: string): Promise<string | null> {
  if (!/^\d{1,20}$/.test(userId)) return null;
  try {
    const owner = await client.crm.owners.ownersApi.getById(Number(userId), 'userId');
    return owner.archived ? null : owner.id;
  } catch (error) {
    if (hubSpotErrorStatus(error) === 404) return null;
    throw error;
  }
}
