// Preview stand-in for lightning-progress-bar, not Salesforce's component: a bar filled to `value` (0–100).
import { api, LightningElement } from 'lwc';

export default class ProgressBar extends LightningElement {
  @api value = 0;
  @api variant;
  @api size;

  get fillStyle() {
    const colour = this.variant === 'warning' ? '#fe9339' : '#0176d3';
    return `width: ${Number(this.value) || 0}%; background: ${colour}`;
  }
}
