// Preview stand-in for lightning-spinner, not Salesforce's component: a status line with its alternative text.
import { api, LightningElement } from 'lwc';

export default class Spinner extends LightningElement {
  @api alternativeText;
  @api size;
}
