// Preview stand-in for lightning/uiRecordApi, not Salesforce's: getRecord emits the fixture record of its recordId.
import { RECORDS } from '../../../fixtures.js';

export class getRecord {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }
  connect() {}
  disconnect() {}
  update(config) {
    const data = RECORDS[config.recordId];
    this.dataCallback(data ? { data, error: undefined } : { data: undefined, error: { message: `No preview record ${config.recordId}` } });
  }
}

/** A field's value from a UI API record, by qualified name, e.g. 'Opportunity.IsClosed'. */
export function getFieldValue(record, field) {
  const name = String(field).split('.').slice(1).join('.');
  return record?.fields?.[name]?.value;
}

export async function notifyRecordUpdateAvailable() {}
