/** Salesforce REST error responses: HTTP status + `[{ message, errorCode, fields? }]`. */
export class SalesforceApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly fields: string[] | undefined;
  constructor(status: number, errorCode: string, message: string, fields?: string[]) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.fields = fields;
  }

  body(): { message: string; errorCode: string; fields?: string[] }[] {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

/** SOQL errors point at the offending column the way Salesforce does. */
export function soqlError(
  errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE',
  soql: string,
  position: number,
  detail: string,
): SalesforceApiError {
  const column = position + 1;
  return new SalesforceApiError(
    400,
    errorCode,
    `\n${soql}\n${' '.repeat(Math.max(0, position))}^\nERROR at Row:1:Column:${column}\n${detail}`,
  );
}
