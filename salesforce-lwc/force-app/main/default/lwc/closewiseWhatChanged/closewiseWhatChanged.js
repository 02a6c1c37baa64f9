import getChange from '@salesforce/apex/ClosewiseController.getChange';
import { api, LightningElement } from 'lwc';

/** Signed probability points, e.g. "+12 pts", "−3.5 pts". */
export function pointsLabel(points) {
  const rounded = Math.round(points * 10) / 10 || 0;
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '';
  return `${sign}${Math.abs(rounded)} pts`;
}

/** "3 Nov", in UTC like the backend's scoring times. */
export function dayMonthLabel(iso) {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(iso));
}

/**
 * "+12 pts since 3 Nov" and the factors that moved the score most, from the backend through the Apex
 * controller. Shows nothing on a first score or when the backend cannot say: the score itself is on the card.
 */
export default class ClosewiseWhatChanged extends LightningElement {
  @api recordId;
  change;
  _scoredAt;

  /** Reloads when the card's scored-at changes (a rescore): the change is relative to the new score. */
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
      this.change = await getChange({ recordId: this.recordId });
    } catch {
      this.change = undefined;
    }
  }

  get hasChange() {
    return Boolean(this.change?.changed && typeof this.change.points === 'number' && this.change.since);
  }
  get summary() {
    return `${pointsLabel(this.change.points)} since ${dayMonthLabel(this.change.since)}`;
  }
  get movers() {
    return (this.change.movers || []).map((m, i) => ({ key: `${i}:${m.label}`, text: `${m.label} (${pointsLabel(m.points)})` }));
  }
  get hasMovers() {
    return this.movers.length > 0;
  }
}
