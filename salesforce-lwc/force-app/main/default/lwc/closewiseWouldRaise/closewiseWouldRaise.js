import getWouldRaise from '@salesforce/apex/ClosewiseController.getWouldRaise';
import { pointsLabel } from 'c/closewiseWhatChanged';
import { api, LightningElement } from 'lwc';

/**
 * "What would raise it": up to three changes the rep can make, each with the model's estimate if done today,
 * from the backend through the Apex controller. Labelled as estimates in the heading and under the list: they
 * come from rescoring the record with the change applied, not a promise. Shows nothing when there are none or
 * the backend cannot say: the score itself is on the card.
 */
export default class ClosewiseWouldRaise extends LightningElement {
  @api recordId;
  raise;
  _scoredAt;

  /** Reloads when the card's scored-at changes (a rescore): the suggestions belong to the new score. */
  @api
  get scoredAt() {
    return this._scoredAt;
  }
  set scoredAt(value) {
    const changed = value !== this._scoredAt;
    this._scoredAt = value;
    if (changed && this.isConnected) this.load();
  }

  connectedCallback() {
    this.load();
  }

  async load() {
    if (!this.recordId) return;
    try {
      this.raise = await getWouldRaise({ recordId: this.recordId });
    } catch {
      this.raise = undefined;
    }
  }

  get suggestions() {
    return (this.raise?.suggestions || []).map((s) => ({
      key: s.action,
      text: `${s.label}: about ${Math.round(s.estimate)}% (${pointsLabel(s.points)})`,
    }));
  }
  get hasSuggestions() {
    return this.suggestions.length > 0;
  }
}
