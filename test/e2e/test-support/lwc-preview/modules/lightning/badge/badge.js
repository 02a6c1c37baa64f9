// Preview stand-in for lightning-badge, not Salesforce's component: a pill with its label.
import { api, LightningElement } from 'lwc';

export default class Badge extends LightningElement {
  @api label;
  @api iconName;
}
