import getModelStatus from '@salesforce/apex/ClosewiseController.getModelStatus';
import ClosewiseScoreCard from 'c/closewiseScoreCard';
import { getRecord } from 'lightning/uiRecordApi';
import { api, wire } from 'lwc';

const FIELDS = ['Account.Closewise_Engagement_Level__c', 'Account.Closewise_Next_Action__c', 'Account.Closewise_Scored_At__c'];

// Lonely is the one level that asks for action, so it gets the warning colour.
const LEVELS = {
  High: { value: 100, variant: 'base-autocomplete', explanation: 'Several people at this account are engaging.' },
  Medium: { value: 60, variant: 'base', explanation: 'Some people at this account are engaging.' },
  Lonely: { value: 20, variant: 'warning', explanation: 'Nobody at this account has engaged recently.' },
};

/** Engagement level and next action on an Account record page. */
export default class ClosewiseAccountCard extends ClosewiseScoreCard {
  @api recordId;

  @wire(getRecord, { recordId: '$recordId', fields: FIELDS })
  wiredRecord(result) {
    this.receiveRecord(result);
  }

  @wire(getModelStatus, { objectApiName: 'Account' })
  wiredModel(result) {
    this.receiveModel(result);
  }

  get cardObject() {
    return 'Account';
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
