import type { Org } from './org.ts';
import type { FieldDef, ObjectDef } from './schema.ts';

/** `GET /sobjects/{name}/describe` and `GET /sobjects`, with the properties the connector reads. */
function describeField(field: FieldDef): Record<string, unknown> {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    custom: field.custom,
    updateable: field.updateable,
    createable: field.updateable,
    nillable: field.type !== 'id' && field.type !== 'boolean',
    length: field.length ?? (field.type === 'string' ? 255 : 0),
    precision: field.precision ?? 0,
    scale: field.scale ?? 0,
    restrictedPicklist: field.restrictedPicklist ?? false,
    picklistValues: (field.picklistValues ?? []).map((value) => ({
      value,
      label: field.picklistLabels?.[value] ?? value,
      active: true,
      defaultValue: false,
      validFor: null,
    })),
    referenceTo: field.referenceTo ?? [],
    relationshipName: field.relationshipName ?? null,
    filterable: true,
    sortable: field.type !== 'textarea',
  };
}

export function describeObject(def: ObjectDef): Record<string, unknown> {
  return {
    name: def.name,
    label: def.label,
    keyPrefix: def.keyPrefix,
    custom: false,
    queryable: true,
    updateable: true,
    createable: true,
    fields: [...def.fields.values()].map(describeField),
    urls: { describe: `/sobjects/${def.name}/describe` },
  };
}

export function describeGlobal(org: Org): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...org.schema.values()].map((def) => ({
      name: def.name,
      label: def.label,
      keyPrefix: def.keyPrefix,
      custom: false,
      queryable: true,
      updateable: true,
    })),
  };
}
