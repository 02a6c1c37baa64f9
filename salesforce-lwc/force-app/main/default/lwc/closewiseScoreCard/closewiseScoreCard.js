import { STATES, scoreState } from 'c/closewiseUtils';
import { getFieldValue } from 'lightning/uiRecordApi';
import { LightningElement } from 'lwc';

/**
 * What every Closewise record card shares: the record and model status its wires deliver, and the card state
 * (loading, error, no score, current or prior model) that follows from them. A card extends this class,
 * declares its own wires (their configuration is per object) and hands their results to receiveRecord and
 * receiveModel; it names its object in `cardObject` and its scored-at value in `scoredAt`.
 */
export default class ClosewiseScoreCard extends LightningElement {
  record;
  error;
  modelActivatedAt;

  /** The object whose fields the card reads, e.g. 'Opportunity'. */
  get cardObject() {
    throw new Error('a Closewise card names its object in cardObject');
  }

  /** When Closewise last scored the record; undefined until the record has loaded. */
  get scoredAt() {
    return undefined;
  }

  receiveRecord({ data, error }) {
    this.record = data;
    this.error = error;
  }

  receiveModel({ data }) {
    // Without model status the card still shows the score; it just cannot flag a prior model.
    this.modelActivatedAt = data ? data.activatedAt : undefined;
  }

  field(name) {
    return getFieldValue(this.record, `${this.cardObject}.${name}`);
  }

  get state() {
    const scoredAt = this.record ? this.scoredAt : undefined;
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
}
