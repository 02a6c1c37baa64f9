import type { ObjectTypeInfo, ObjectTypeName } from '../object-types.ts';
import { OBJECT_TYPES } from '../object-types.ts';
import { DEFAULT_PROPERTIES, type DefaultPropertySpec } from './default-properties.ts';

export type PropertyType = 'string' | 'number' | 'enumeration' | 'date' | 'datetime' | 'bool';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

/** HubSpot's Property model, as GET /crm/v3/properties/{objectType} returns it. */
export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  description: string;
  groupName: string;
  options: PropertyOption[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined?: boolean;
  formField: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  dataSensitivity: 'non_sensitive';
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

interface TypeSchema {
  properties: Map<string, PropertyDefinition>;
  groups: Map<string, PropertyGroup>;
}

export function defaultGroupName(type: ObjectTypeInfo): string {
  return `${type.singular}information`;
}

/** Options in HubSpot's shape; a bare value is labelled by itself, a [value, label] pair by its label. */
export function toOptions(values: readonly (string | readonly [string, string])[]): PropertyOption[] {
  return values.map((option, i) => {
    const [value, label] = typeof option === 'string' ? [option, option] : option;
    return { label, value, displayOrder: i, hidden: false };
  });
}

/** The portal's property definitions and groups, per object type. */
export class SchemaStore {
  private readonly byType = new Map<ObjectTypeName, TypeSchema>();

  constructor(createdAt: string) {
    for (const type of OBJECT_TYPES) {
      const group: PropertyGroup = {
        name: defaultGroupName(type),
        label: `${type.singular[0]?.toUpperCase()}${type.singular.slice(1)} information`,
        displayOrder: -1,
        archived: false,
      };
      const schema: TypeSchema = { properties: new Map(), groups: new Map([[group.name, group]]) };
      for (const spec of DEFAULT_PROPERTIES[type.name]) {
        schema.properties.set(spec.name, fromSpec(spec, group.name, createdAt));
      }
      this.byType.set(type.name, schema);
    }
  }

  private schema(type: ObjectTypeName): TypeSchema {
    const found = this.byType.get(type);
    if (!found) throw new Error(`no schema for ${type}`);
    return found;
  }

  property(type: ObjectTypeName, name: string): PropertyDefinition | undefined {
    return this.schema(type).properties.get(name);
  }

  properties(type: ObjectTypeName): PropertyDefinition[] {
    return [...this.schema(type).properties.values()];
  }

  group(type: ObjectTypeName, name: string): PropertyGroup | undefined {
    return this.schema(type).groups.get(name);
  }

  groups(type: ObjectTypeName): PropertyGroup[] {
    return [...this.schema(type).groups.values()];
  }

  putProperty(type: ObjectTypeName, def: PropertyDefinition): void {
    this.schema(type).properties.set(def.name, def);
  }

  putGroup(type: ObjectTypeName, group: PropertyGroup): void {
    this.schema(type).groups.set(group.name, group);
  }

  /** Adds an option to an enumeration if it is missing (loading a portal whose data uses it). */
  ensureOption(type: ObjectTypeName, name: string, value: string, label = value): void {
    const def = this.property(type, name);
    if (def?.type !== 'enumeration') return;
    if (def.options.some((o) => o.value === value)) return;
    def.options.push({ label, value, displayOrder: def.options.length, hidden: false });
  }
}

function fromSpec(spec: DefaultPropertySpec, groupName: string, at: string): PropertyDefinition {
  return {
    name: spec.name,
    label: spec.label,
    type: spec.type,
    fieldType: spec.fieldType,
    description: '',
    groupName,
    options: spec.type === 'bool' ? boolOptions() : toOptions(spec.options ?? []),
    displayOrder: -1,
    calculated: spec.readOnlyValue === true && spec.name !== 'hs_object_id',
    externalOptions: spec.name === 'hubspot_owner_id' || spec.name === 'dealstage' || spec.name === 'pipeline',
    hasUniqueValue: false,
    hidden: false,
    hubspotDefined: true,
    formField: !spec.readOnlyValue,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: spec.readOnlyValue === true },
    createdAt: at,
    updatedAt: at,
    archived: false,
    dataSensitivity: 'non_sensitive',
  };
}

export function boolOptions(): PropertyOption[] {
  return [
    { label: 'True', value: 'true', displayOrder: 0, hidden: false },
    { label: 'False', value: 'false', displayOrder: 1, hidden: false },
  ];
}
