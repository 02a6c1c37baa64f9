import { z } from 'zod';
import { validationError } from '../errors.ts';

/** HubSpot coerces JSON numbers and booleans in property maps to strings. */
export const propertyMap = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? null : String(v))),
);

export const associationInput = z.object({
  to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
  types: z.array(
    z.object({
      associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
      associationTypeId: z.number().int(),
    }),
  ),
});

export const createInput = z.object({
  properties: propertyMap,
  associations: z.array(associationInput).optional(),
});

export const updateInput = z.object({ properties: propertyMap });

const idString = z.union([z.string(), z.number()]).transform(String);

export const batchReadBody = z.object({
  inputs: z.array(z.object({ id: idString })),
  properties: z.array(z.string()).optional(),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});

export const batchCreateBody = z.object({ inputs: z.array(createInput) });
export const batchUpdateBody = z.object({
  inputs: z.array(z.object({ id: idString, idProperty: z.string().optional(), properties: propertyMap })),
});
export const batchArchiveBody = z.object({ inputs: z.array(z.object({ id: idString })) });

/** Parses a request body, answering HubSpot's "Invalid input JSON" VALIDATION_ERROR on mismatch. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw validationError(`Invalid input JSON on line 1, column 1: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** HubSpot's batch size limit: more inputs fail the whole call with a 400. */
export function checkBatchSize(count: number, max: number): void {
  if (count > max) {
    throw validationError(
      `The maximum number of inputs supported in a batch request is ${max}. Please reduce the number of items and try again.`,
      {
        context: { maxInputs: [String(max)] },
      },
    );
  }
}
