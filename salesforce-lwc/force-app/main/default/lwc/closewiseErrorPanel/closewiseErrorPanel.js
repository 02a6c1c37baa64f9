import { reduceErrors } from 'c/closewiseUtils';
import { api, LightningElement } from 'lwc';

/** The one error display of the Closewise cards: a friendly sentence, then the platform's messages. */
export default class ClosewiseErrorPanel extends LightningElement {
  @api friendlyMessage = 'Closewise could not load this record.';
  @api errors;

  get messages() {
    return reduceErrors(this.errors).map((text, index) => ({ key: `message-${index}`, text }));
  }

  get hasMessages() {
    return this.messages.length > 0;
  }
}
