// Preview stand-in for lightning-button, not Salesforce's component: a native button with its label.
import { api, LightningElement } from 'lwc';

export default class Button extends LightningElement {
  @api label;
  @api iconName;
  @api disabled = false;
}
