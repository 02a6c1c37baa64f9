import getModelStatus from '@salesforce/apex/ClosewiseController.getModelStatus';
import ClosewiseScoreCard from 'c/closewiseScoreCard';
import { percentLabel, ringVariant, splitReasons, trendIcon } from 'c/closewiseUtils';
import { getRecord } from 'lightning/uiRecordApi';
import { api, wire } from 'lwc';

const FIELDS = [
  'Opportunity.Closewise_Win_Probability__c',
  'Opportunity.Closewise_Deal_Score__c',
  'Opportunity.Closewise_Trend__c',
  'Opportunity.Closewise_Top_Reasons__c',
  'Opportunity.Closewise_Next_Action__c',
  'Opportunity.Closewise_Scored_At__c',
  // Standard fields: a closed opportunity shows its outcome instead of a score Closewise no longer updates.
  'Opportunity.IsClosed',
  'Opportunity.IsWon',
  'Opportunity.CloseDate',
  'Opportunity.StageName',
];

/**
 * Win probability, deal score, trend, reasons and next action on an Opportunity record page. A closed
 * opportunity shows its outcome and the last score Closewise wrote before the close, and no rescore action:
 * Closewise scores open opportunities only.
 */
export default class ClosewiseOpportunityCard extends ClosewiseScoreCard {
  @api recordId;

  @wire(getRecord, { recordId: '$recordId', fields: FIELDS })
  wiredRecord(result) {
    this.receiveRecord(result);
  }

  @wire(getModelStatus, { objectApiName: 'Opportunity' })
  wiredModel(result) {
    this.receiveModel(result);
  }

  get cardObject() {
    return 'Opportunity';
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

  get isClosed() {
    return !this.isLoading && !this.isError && this.field('IsClosed') === true;
  }
  get outcomeLabel() {
    return this.field('IsWon') === true ? 'Closed won' : 'Closed lost';
  }
  get closeDate() {
    return this.field('CloseDate');
  }
  get stageName() {
    return this.field('StageName') || this.outcomeLabel;
  }
  /** The Closewise fields keep the last score written while the opportunity was open. */
  get hasLastScore() {
    return Boolean(this.scoredAt) && typeof this.probability === 'number';
  }
  get showActions() {
    return super.showActions && !this.isClosed;
  }
}
