import { OBJECT_TYPES, type ObjectTypeName } from './object-types.ts';
import { AssociationStore } from './store/association-store.ts';
import { ObjectStore, type StoredRecord } from './store/object-store.ts';
import { defaultSalesPipeline, type Pipeline } from './store/pipelines.ts';
import { SchemaStore } from './store/schema-store.ts';

export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export type Clock = () => number;

/** Everything one sandbox portal holds. Route handlers and the loader share it; nothing else is global. */
export class Portal {
  readonly portalId: number;
  readonly clock: Clock;
  readonly schema: SchemaStore;
  readonly objects: Record<ObjectTypeName, ObjectStore>;
  readonly associations = new AssociationStore();
  pipelines: Pipeline[];
  owners: Owner[] = [];
  /** How far search lags writes (HubSpot: a few seconds). 0 = search sees every write at once. */
  searchIndexDelayMs = 0;
  /** The account's time-zone setting (IANA): HubSpot's account info reports it, and private apps' daily limit resets at its midnight. */
  timeZone = 'US/Eastern';
  /** Update inputs received through the API per `type/id`, no-ops included: what "writes per record" counts. */
  readonly apiWrites = new Map<string, number>();
  /** Records answered to API reads (list pages, batch reads, single gets) per `type/id`: what a re-read counts. */
  readonly apiReads = new Map<string, number>();
  private nextId = 1001;
  /** Lower-cased contact email → id; built on first use (loading skips it), then kept current by writes. */
  private emails: Map<string, number> | undefined;

  constructor(portalId: number, clock: Clock) {
    this.portalId = portalId;
    this.clock = clock;
    const at = new Date(clock()).toISOString();
    this.schema = new SchemaStore(at);
    this.objects = Object.fromEntries(OBJECT_TYPES.map((t) => [t.name, new ObjectStore()])) as Record<ObjectTypeName, ObjectStore>;
    this.pipelines = [defaultSalesPipeline(at)];
    this.syncPipelineOptions();
  }

  countApiWrite(type: ObjectTypeName, id: number): void {
    const key = `${type}/${id}`;
    this.apiWrites.set(key, (this.apiWrites.get(key) ?? 0) + 1);
  }

  countApiRead(type: ObjectTypeName, id: number): void {
    const key = `${type}/${id}`;
    this.apiReads.set(key, (this.apiReads.get(key) ?? 0) + 1);
  }

  contactIdByEmail(email: string): number | undefined {
    if (!this.emails) {
      this.emails = new Map();
      for (const r of this.objects.contacts.all()) if (!r.archived) this.indexEmail(r);
    }
    const id = this.emails.get(email);
    // An archived contact frees its email.
    return id !== undefined && !this.objects.contacts.get(id)?.archived ? id : undefined;
  }

  indexEmail(record: StoredRecord): void {
    const email = record.properties.email?.trim().toLowerCase();
    if (this.emails && email && !this.emails.has(email)) this.emails.set(email, record.id);
  }

  reindexEmail(previous: string | null, record: StoredRecord): void {
    const old = previous?.trim().toLowerCase();
    if (this.emails && old && this.emails.get(old) === record.id) this.emails.delete(old);
    this.indexEmail(record);
  }

  /** Loading bypasses the index; it is rebuilt on next use. */
  invalidateEmailIndex(): void {
    this.emails = undefined;
  }

  nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  /** A fresh record id, above every id loaded so far (ids are shared across object types, as in HubSpot). */
  allocateId(): number {
    return this.nextId++;
  }

  reserveId(id: number): void {
    if (id >= this.nextId) this.nextId = id + 1;
  }

  /** Keeps the dealstage/pipeline enumeration options equal to the pipelines' stages. */
  syncPipelineOptions(): void {
    const pipeline = this.schema.property('deals', 'pipeline');
    const stage = this.schema.property('deals', 'dealstage');
    if (pipeline) {
      pipeline.options = this.pipelines.map((p, i) => ({ label: p.label, value: p.id, displayOrder: i, hidden: false }));
    }
    if (stage) {
      stage.options = this.pipelines.flatMap((p) =>
        p.stages.map((s) => ({ label: s.label, value: s.id, displayOrder: s.displayOrder, hidden: false })),
      );
    }
  }

  syncOwnerOptions(): void {
    for (const type of OBJECT_TYPES) {
      const def = this.schema.property(type.name, 'hubspot_owner_id');
      if (!def) continue;
      def.options = this.owners.map((o, i) => ({
        label: `${o.firstName} ${o.lastName}`.trim(),
        value: o.id,
        displayOrder: i,
        hidden: false,
      }));
    }
  }
}
