import getModelStatus from '@salesforce/apex/ClosewiseController.getModelStatus';
import { percentLabel, ringVariant, STATES, scoreState, splitReasons, trendIcon } from 'c/closewiseUtils';
import { getFieldValue, getRecord } from 'lightning/uiRecordApi';
import { api, LightningElement, wire } from 'lwc';

const FIELDS = [
  'Opportunity.Closewise_Win_Probability__c',
  'Opportunity.Closewise_Deal_Score__c',
  'Opportunity.Closewise_Trend__c',
  'Opportunity.Closewise_Top_Reasons__c',
  'Opportunity.Closewise_Next_Action__c',
  'Opportunity.Closewise_Scored_At__c',
];

/** Win probability, deal score, trend, reasons and next action on an Opportunity record page. */
export default class ClosewiseOpportunityCard extends LightningElement {
  @api recordId;
  record;
  error;
  modelActivatedAt;

  @wire(getRecord, { recordId: '$recordId', fields: FIELDS })
  wiredRecord({ data, error }) {
    this.record = data;
    this.error = error;
  }

  @wire(getModelStatus, { objectApiName: 'Opportunity' })
  wiredModel({ data }) {
    // Without model status the card still shows the score; it just cannot flag a prior model.
    this.modelActivatedAt = data ? data.activatedAt : undefined;
  }

  field(name) {
    return getFieldValue(this.record, `Opportunity.${name}`);
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

  get probability() {
    return this.field('Closewise_Win_Probability__c');
  }
  get probabilityLabel() {
    return percentLabel(this.probability);
  }
  get ringLabel() {
    return `Win probability ${this.probabilityLabel}`;
  }
  get ringVariant() {
    return ringVariant(this.probability);
  }
  get dealScoreLabel() {
    const score = this.field('Closewise_Deal_Score__c');
    return score ? `Deal score ${score} of 5` : 'Deal score —';
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
