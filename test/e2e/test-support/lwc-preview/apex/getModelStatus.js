// Preview stand-in for @salesforce/apex/ClosewiseController.getModelStatus: a wire adapter emitting the active model.
import { MODEL_STATUS } from '../fixtures.js';

export default class getModelStatus {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }
  connect() {}
  disconnect() {}
  update() {
    this.dataCallback({ data: MODEL_STATUS, error: undefined });
  }
}
