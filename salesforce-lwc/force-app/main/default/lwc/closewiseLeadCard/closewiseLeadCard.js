import getModelStatus from '@salesforce/apex/ClosewiseController.getModelStatus';
import { percentLabel, ringVariant, STATES, scoreState, splitReasons, trendIcon } from 'c/closewiseUtils';
import { getFieldValue, getRecord } from 'lightning/uiRecordApi';
import { api, LightningElement, wire } from 'lwc';

const FIELD_NAMES = [
  'Closewise_Likelihood_To_Close__c',
  'Closewise_Priority__c',
  'Closewise_Lead_Grade__c',
  'Closewise_Trend__c',
  'Closewise_Top_Reasons__c',
  'Closewise_Next_Action__c',
  'Closewise_Scored_At__c',
];

const PRIORITY_BADGES = { 'Very High': 'slds-theme_success', High: 'slds-theme_success', Medium: 'slds-theme_warning', Low: '' };

/** Likelihood to close, priority and grade on a Lead or Contact record page (same fields on both objects). */
export default class ClosewiseLeadCard extends LightningElement {
  @api recordId;
  @api objectApiName;
  record;
  error;
  modelActivatedAt;

  // Qualified by the page's object so one component serves Lead and Contact.
  get fields() {
    return FIELD_NAMES.map((name) => `${this.objectApiName}.${name}`);
  }

  @wire(getRecord, { recordId: '$recordId', fields: '$fields' })
  wiredRecord({ data, error }) {
    this.record = data;
    this.error = error;
  }

  @wire(getModelStatus, { objectApiName: '$objectApiName' })
  wiredModel({ data }) {
    this.modelActivatedAt = data ? data.activatedAt : undefined;
  }

  field(name) {
    return getFieldValue(this.record, `${this.objectApiName}.${name}`);
  }

  get title() {
    return this.objectApiName === 'Lead' ? 'Closewise lead score' : 'Closewise contact score';
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
  get friendlyError() {
    return `Closewise could not load this ${this.objectApiName === 'Lead' ? 'lead' : 'contact'}'s score.`;
  }

  get likelihood() {
    return this.field('Closewise_Likelihood_To_Close__c');
  }
  get likelihoodLabel() {
    return percentLabel(this.likelihood);
  }
  get barLabel() {
    return `Likelihood to close within 90 days ${this.likelihoodLabel}`;
  }
  get barVariant() {
    return ringVariant(this.likelihood) === 'warning' ? 'warning' : 'base';
  }
  get priority() {
    return this.field('Closewise_Priority__c');
  }
  get priorityLabel() {
    return this.priority ? `Priority ${this.priority}` : 'Priority —';
  }
  get priorityClass() {
    return PRIORITY_BADGES[this.priority] || '';
  }
  get gradeLabel() {
    const grade = this.field('Closewise_Lead_Grade__c');
    return grade ? `Grade ${grade}` : 'Grade —';
  }
  get trend() {
    return this.field('Closewise_Trend__c') || 'Steady';
  }
  get trendIcon() {
    return trendIcon(this.trend);
  }
  get reasons() {
    return splitReasons(this.field('Closewise_Top_Reasons__c'));
  }
  get hasReasons() {
    return this.reasons.length > 0;
  }
  get nextAction() {
    return this.field('Closewise_Next_Action__c') || 'No action suggested.';
  }
  get scoredAt() {
    return this.field('Closewise_Scored_At__c');
  }
}
