import getModelStatus from '@salesforce/apex/ClosewiseController.getModelStatus';
import { STATES, scoreState } from 'c/closewiseUtils';
import { getFieldValue, getRecord } from 'lightning/uiRecordApi';
import { api, LightningElement, wire } from 'lwc';

const FIELDS = ['Account.Closewise_Engagement_Level__c', 'Account.Closewise_Next_Action__c', 'Account.Closewise_Scored_At__c'];

// Lonely is the one level that asks for action, so it gets the warning colour.
const LEVELS = {
  High: { value: 100, variant: 'base-autocomplete', explanation: 'Several people at this account are engaging.' },
  Medium: { value: 60, variant: 'base', explanation: 'Some people at this account are engaging.' },
  Lonely: { value: 20, variant: 'warning', explanation: 'Nobody at this account has engaged recently.' },
};

/** Engagement level and next action on an Account record page. */
export default class ClosewiseAccountCard extends LightningElement {
  @api recordId;
  record;
  error;
  modelActivatedAt;

  @wire(getRecord, { recordId: '$recordId', fields: FIELDS })
  wiredRecord({ data, error }) {
    this.record = data;
    this.error = error;
  }

  @wire(getModelStatus, { objectApiName: 'Account' })
  wiredModel({ data }) {
    this.modelActivatedAt = data ? data.activatedAt : undefined;
  }

  field(name) {
    return getFieldValue(this.record, `Account.${name}`);
  }

  get state() {
    const scoredAt = this.record ? this.field('Closewise_Scored_At__c') : undefined;
    return scoreState({ record: this.record, error: this.error, scoredAt, modelActivatedAt: this.modelActivatedAt });
  }
  get isLoading() {
    return this.state === STATES.LOADING;
  }
  get isError() {
    return this.state === STATES.ERROR;
  }
  get isNoScore() {
    return this.state === STATES.NO_SCORE;
  }
  get isScored() {
    return this.state === STATES.CURRENT || this.state === STATES.PRIOR_MODEL;
  }
  get isPriorModel() {
    return this.state === STATES.PRIOR_MODEL;
  }
  get showActions() {
    return !this.isLoading && !this.isError;
  }

  get level() {
    return this.field('Closewise_Engagement_Level__c');
  }
  get levelInfo() {
    return LEVELS[this.level] || { value: 0, variant: 'base', explanation: 'Engagement not measured.' };
  }
  get levelLabel() {
    return this.level ? `Engagement ${this.level}` : 'Engagement —';
  }
  get meterLabel() {
    return `Engagement level ${this.level || 'unknown'}`;
  }
  get nextAction() {
    return this.field('Closewise_Next_Action__c') || 'No action suggested.';
  }
  get scoredAt() {
    return this.field('Closewise_Scored_At__c');
  }
}
