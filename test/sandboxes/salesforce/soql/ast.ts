/** The SOQL subset the sandbox understands, as a syntax tree. */
export interface FieldRef {
  /** Relationship path then field, as written: ['Account', 'Name']. */
  path: string[];
  position: number;
}

export type Literal =
  | { kind: 'string'; value: string; position: number }
  | { kind: 'number'; value: number; position: number }
  | { kind: 'boolean'; value: boolean; position: number }
  | { kind: 'null'; position: number }
  | { kind: 'date'; value: string; position: number }
  | { kind: 'datetime'; value: number; position: number }
  /** TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n, NEXT_N_DAYS:n */
  | { kind: 'relativeDate'; name: string; n: number; position: number };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; field: FieldRef; op: ComparisonOperator; value: Literal }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: Literal[] };

export interface OrderBy {
  field: FieldRef;
  descending: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  soql: string;
  select: { kind: 'fields'; fields: FieldRef[] } | { kind: 'count'; position: number };
  object: { name: string; position: number };
  where: Condition | undefined;
  orderBy: OrderBy[];
  limit: number | undefined;
}
