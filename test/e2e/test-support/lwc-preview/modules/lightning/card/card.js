// Preview stand-in for lightning-card, not Salesforce's component: header with icon and title, then the body slot.
import { api, LightningElement } from 'lwc';

export default class Card extends LightningElement {
  @api title;
  @api iconName;

  get iconInitial() {
    return (this.iconName || '').split(':').pop().charAt(0).toUpperCase();
  }
}
