import getModelStatus from '@salesforce/apex/ClosewiseController.getModelStatus';
import ClosewiseScoreCard from 'c/closewiseScoreCard';
import { percentLabel, ringVariant, splitReasons, trendIcon } from 'c/closewiseUtils';
import { getRecord } from 'lightning/uiRecordApi';
import { api, wire } from 'lwc';

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
export default class ClosewiseLeadCard extends ClosewiseScoreCard {
  @api recordId;
  @api objectApiName;

  // Qualified by the page's object so one component serves Lead and Contact.
  get fields() {
    return FIELD_NAMES.map((name) => `${this.objectApiName}.${name}`);
  }

  @wire(getRecord, { recordId: '$recordId', fields: '$fields' })
  wiredRecord(result) {
    this.receiveRecord(result);
  }

  @wire(getModelStatus, { objectApiName: '$objectApiName' })
  wiredModel(result) {
    this.receiveModel(result);
  }

  get cardObject() {
    return this.objectApiName;
  }

  get title() {
    return this.objectApiName === 'Lead' ? 'Closewise lead score' : 'Closewise contact score';
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
