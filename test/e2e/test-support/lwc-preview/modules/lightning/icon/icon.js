// Preview stand-in for lightning-icon, not Salesforce's component: a bullet named by its alternative text.
import { api, LightningElement } from 'lwc';

export default class Icon extends LightningElement {
  @api iconName;
  @api alternativeText;
  @api variant;
  @api size;
}
