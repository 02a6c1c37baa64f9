import { type Request, Router } from 'express';
import { z } from 'zod';
import type { SandboxContext } from '../context.ts';
import { HubSpotApiError, notFound, validationError } from '../errors.ts';
import { type ObjectTypeInfo, resolveObjectType } from '../object-types.ts';
import type { PropertyDefinition } from '../store/schema-store.ts';
import { parseBody } from './schemas.ts';

const optionInput = z.object({
  label: z.string(),
  value: z.string(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  description: z.string().optional(),
});

const propertyCreate = z.object({
  name: z.string(),
  label: z.string(),
  type: z.enum(['string', 'number', 'date', 'datetime', 'enumeration', 'bool']),
  fieldType: z.enum([
    'text',
    'textarea',
    'date',
    'file',
    'number',
    'select',
    'radio',
    'checkbox',
    'booleancheckbox',
    'calculation_equation',
    'html',
    'phonenumber',
  ]),
  groupName: z.string(),
  description: z.string().optional(),
  options: z.array(optionInput).optional(),
  displayOrder: z.number().int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  externalOptions: z.boolean().optional(),
});

const propertyUpdate = propertyCreate.omit({ name: true }).partial();

const groupCreate = z.object({ name: z.string(), label: z.string(), displayOrder: z.number().int().optional() });

/** Which fieldTypes HubSpot accepts for each property type. */
const FIELD_TYPES: Record<string, readonly string[]> = {
  string: ['text', 'textarea', 'file', 'html', 'phonenumber'],
  number: ['number', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation'],
  bool: ['booleancheckbox', 'calculation_equation'],
};

const INTERNAL_NAME = /^[a-z][a-z0-9_]*$/;

function typeOf(req: Request): ObjectTypeInfo {
  const raw = String(req.params.objectType);
  const type = resolveObjectType(raw);
  if (!type) throw validationError(`Unable to infer object type from: ${raw}`);
  return type;
}

function checkDefinition(
  ctx: SandboxContext,
  type: ObjectTypeInfo,
  input: Pick<z.infer<typeof propertyCreate>, 'name' | 'type' | 'fieldType' | 'options' | 'groupName'>,
): void {
  if (!INTERNAL_NAME.test(input.name)) {
    throw validationError(
      `Property name '${input.name}' is invalid: internal names must start with a lowercase letter and contain only lowercase letters, numbers and underscores.`,
    );
  }
  if (!(FIELD_TYPES[input.type] ?? []).includes(input.fieldType)) {
    throw validationError(`Field type '${input.fieldType}' is not valid for property type '${input.type}'.`);
  }
  if (input.type === 'bool') {
    const values = (input.options ?? []).map((o) => o.value).sort();
    if (values.length !== 2 || values[0] !== 'false' || values[1] !== 'true') {
      throw validationError(
        "Boolean properties must have exactly two options; one with a value of 'true', the other with a value of 'false'.",
      );
    }
  }
  const values = (input.options ?? []).map((o) => o.value);
  const dupe = values.find((v, i) => values.indexOf(v) !== i);
  if (dupe !== undefined) throw validationError(`Duplicate option value '${dupe}' in property '${input.name}'.`);
  if (!ctx.portal.schema.group(type.name, input.groupName)) {
    throw validationError(`Property group '${input.groupName}' does not exist.`);
  }
}

export function propertiesRouter(ctx: SandboxContext): Router {
  const router = Router();
  const { schema } = ctx.portal;

  router.get('/crm/v3/properties/:objectType/groups', (req, res) => {
    res.json({ results: schema.groups(typeOf(req).name) });
  });

  router.get('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const group = schema.group(typeOf(req).name, String(req.params.groupName));
    if (!group) throw notFound(`Unable to find property group: ${String(req.params.groupName)}`);
    res.json(group);
  });

  router.post('/crm/v3/properties/:objectType/groups', (req, res) => {
    const type = typeOf(req);
    const input = parseBody(groupCreate, req.body);
    if (!INTERNAL_NAME.test(input.name)) throw validationError(`Property group name '${input.name}' is invalid.`);
    if (schema.group(type.name, input.name)) {
      throw new HubSpotApiError(409, 'OBJECT_ALREADY_EXISTS', `A property group named '${input.name}' already exists.`);
    }
    const group = { name: input.name, label: input.label, displayOrder: input.displayOrder ?? -1, archived: false };
    schema.putGroup(type.name, group);
    res.status(201).json(group);
  });

  router.get('/crm/v3/properties/:objectType', (req, res) => {
    const archived = req.query.archived === 'true';
    res.json({ results: schema.properties(typeOf(req).name).filter((p) => p.archived === archived) });
  });

  router.get('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const def = schema.property(typeOf(req).name, String(req.params.propertyName));
    if (!def || def.archived !== (req.query.archived === 'true')) {
      throw notFound(`Unable to find property: ${String(req.params.propertyName)}`);
    }
    res.json(def);
  });

  router.post('/crm/v3/properties/:objectType', (req, res) => {
    const type = typeOf(req);
    const input = parseBody(propertyCreate, req.body);
    if (schema.property(type.name, input.name)) {
      throw new HubSpotApiError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${input.name}' already exists.`, {
        subCategory: 'PropertyCrudError.PROPERTY_EXISTS',
        context: { name: [input.name] },
      });
    }
    checkDefinition(ctx, type, input);
    const at = ctx.portal.nowIso();
    const def: PropertyDefinition = {
      name: input.name,
      label: input.label,
      type: input.type,
      fieldType: input.fieldType,
      description: input.description ?? '',
      groupName: input.groupName,
      options: (input.options ?? []).map((o, i) => ({
        label: o.label,
        value: o.value,
        displayOrder: o.displayOrder ?? i,
        hidden: o.hidden ?? false,
        ...(o.description ? { description: o.description } : {}),
      })),
      displayOrder: input.displayOrder ?? -1,
      calculated: false,
      externalOptions: input.externalOptions ?? false,
      hasUniqueValue: input.hasUniqueValue ?? false,
      hidden: input.hidden ?? false,
      formField: input.formField ?? false,
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      createdAt: at,
      updatedAt: at,
      archived: false,
      dataSensitivity: 'non_sensitive',
    };
    schema.putProperty(type.name, def);
    res.status(201).json(def);
  });

  router.patch('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = typeOf(req);
    const def = schema.property(type.name, String(req.params.propertyName));
    if (!def || def.archived) throw notFound(`Unable to find property: ${String(req.params.propertyName)}`);
    const input = parseBody(propertyUpdate, req.body);
    if (def.modificationMetadata.readOnlyDefinition) {
      throw validationError(`${def.name} is a HubSpot-defined property; its definition cannot be modified.`);
    }
    const next = {
      name: def.name,
      type: input.type ?? def.type,
      fieldType: input.fieldType ?? (def.fieldType as z.infer<typeof propertyCreate>['fieldType']),
      groupName: input.groupName ?? def.groupName,
      options: input.options ?? def.options,
    };
    checkDefinition(ctx, type, next);
    def.label = input.label ?? def.label;
    def.description = input.description ?? def.description;
    def.type = next.type;
    def.fieldType = next.fieldType;
    def.groupName = next.groupName;
    if (input.options) {
      def.options = input.options.map((o, i) => ({
        label: o.label,
        value: o.value,
        displayOrder: o.displayOrder ?? i,
        hidden: o.hidden ?? false,
        ...(o.description ? { description: o.description } : {}),
      }));
    }
    def.displayOrder = input.displayOrder ?? def.displayOrder;
    def.hidden = input.hidden ?? def.hidden;
    def.formField = input.formField ?? def.formField;
    def.updatedAt = ctx.portal.nowIso();
    res.json(def);
  });

  router.delete('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = typeOf(req);
    const def = schema.property(type.name, String(req.params.propertyName));
    if (!def || def.archived) throw notFound(`Unable to find property: ${String(req.params.propertyName)}`);
    if (!def.modificationMetadata.archivable) throw validationError(`${def.name} is a HubSpot-defined property and cannot be archived.`);
    def.archived = true;
    def.updatedAt = ctx.portal.nowIso();
    res.status(204).end();
  });

  return router;
}
