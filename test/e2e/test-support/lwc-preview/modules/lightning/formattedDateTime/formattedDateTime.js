// Preview stand-in for lightning-formatted-date-time, not Salesforce's component: Intl.DateTimeFormat in en-US.
import { api, LightningElement } from 'lwc';

export default class FormattedDateTime extends LightningElement {
  @api value;
  @api year;
  @api month;
  @api day;
  @api hour;
  @api minute;
  @api timeZone;

  get text() {
    if (!this.value) return '';
    const { year, month, day, hour, minute, timeZone } = this;
    const options = Object.fromEntries(Object.entries({ year, month, day, hour, minute, timeZone }).filter(([, v]) => v));
    return new Intl.DateTimeFormat('en-US', options).format(new Date(this.value));
  }
}
