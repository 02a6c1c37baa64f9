// Preview stand-in for lightning-progress-ring, not Salesforce's component: a conic ring filled to `value` (0–100).
import { api, LightningElement } from 'lwc';

export default class ProgressRing extends LightningElement {
  @api value = 0;
  @api variant;
  @api size;

  get ringStyle() {
    const colour = this.variant === 'warning' ? '#fe9339' : this.variant === 'base-autocomplete' ? '#2e844a' : '#0176d3';
    return `background: conic-gradient(${colour} ${Number(this.value) || 0}%, #ecebea 0)`;
  }
}
