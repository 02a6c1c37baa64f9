import createTask from '@salesforce/apex/ClosewiseController.createTask';
import getReasons from '@salesforce/apex/ClosewiseController.getReasons';
import rescore from '@salesforce/apex/ClosewiseController.rescore';
import { isAccessDenied } from 'c/closewiseUtils';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { api, LightningElement } from 'lwc';

/**
 * "Rescore now", "Create task" and "All reasons" for any Closewise card. The Apex controller calls the
 * backend through the Closewise_Backend Named Credential; the backend writes the new score fields, so
 * after a rescore we only tell LDS the record changed and the card's getRecord wire refreshes itself.
 * When Apex refuses because the user cannot read the record, the actions stay off: every other call
 * would be refused the same way, so the component makes none.
 */
export default class ClosewiseActions extends LightningElement {
  @api recordId;
  busy = false;
  accessDenied = false;
  error;
  reasons;

  get disabled() {
    return this.busy || this.accessDenied;
  }

  get hasReasons() {
    return Array.isArray(this.reasons) && this.reasons.length > 0;
  }

  get noReasons() {
    return Array.isArray(this.reasons) && this.reasons.length === 0;
  }

  async handleRescore() {
    await this.run(async () => {
      await rescore({ recordId: this.recordId });
      await notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
      this.toast('Rescored', 'Closewise scored this record again.', 'success');
    }, 'Closewise could not rescore this record.');
  }

  async handleCreateTask() {
    await this.run(async () => {
      const task = await createTask({ recordId: this.recordId });
      this.toast('Task created', task.subject, 'success');
    }, 'Closewise could not create the task.');
  }

  async handleShowReasons() {
    await this.run(async () => {
      const reasons = await getReasons({ recordId: this.recordId });
      this.reasons = reasons.map((reason, index) => ({
        key: `full-reason-${index}`,
        label: reason.label,
        impact: reason.impact,
      }));
    }, 'Closewise could not load the reasons.');
  }

  async run(action, friendlyMessage) {
    if (this.disabled) return;
    this.busy = true;
    this.error = undefined;
    try {
      await action();
    } catch (error) {
      this.accessDenied = isAccessDenied(error);
      this.error = { errors: error, friendlyMessage };
    } finally {
      this.busy = false;
    }
  }

  toast(title, message, variant) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
