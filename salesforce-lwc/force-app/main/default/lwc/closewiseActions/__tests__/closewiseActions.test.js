import createTask from '@salesforce/apex/ClosewiseController.createTask';
import getReasons from '@salesforce/apex/ClosewiseController.getReasons';
import rescore from '@salesforce/apex/ClosewiseController.rescore';
import ClosewiseActions from 'c/closewiseActions';
import { NO_ACCESS_MESSAGE } from 'c/closewiseUtils';
import { expectAccessible } from 'closewise-test/a11y';
import { flushPromises, resetDom, texts } from 'closewise-test/helpers';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { createElement } from 'lwc';

jest.mock('@salesforce/apex/ClosewiseController.rescore', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/ClosewiseController.createTask', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/ClosewiseController.getReasons', () => ({ default: jest.fn() }), { virtual: true });

// What an @AuraEnabled method's AuraHandledException looks like to the LWC.
const accessError = () => ({ body: { message: NO_ACCESS_MESSAGE }, status: 500, statusText: 'Server Error' });

// The platformShowToastEvent stub dispatches this event name.
const ShowToastEventName = 'lightning__showtoast';
const RECORD_ID = '006000000000001AAA';

function mount() {
  const element = createElement('c-closewise-actions', { is: ClosewiseActions });
  element.recordId = RECORD_ID;
  document.body.appendChild(element);
  return element;
}

function click(element, selector) {
  element.shadowRoot.querySelector(selector).click();
}

describe('c-closewise-actions', () => {
  afterEach(resetDom);

  it('offers three labelled actions when idle', () => {
    const element = mount();
    const labels = Array.from(element.shadowRoot.querySelectorAll('lightning-button')).map((b) => b.label);
    expect(labels).toEqual(['Rescore now', 'Create task', 'All reasons']);
    expectAccessible(element);
  });

  it('rescores, then tells LDS the record changed and confirms with a toast', async () => {
    rescore.mockResolvedValue(null);
    const element = mount();
    const toast = jest.fn();
    element.addEventListener(ShowToastEventName, toast);
    click(element, '.rescore');
    await flushPromises();
    expect(rescore).toHaveBeenCalledWith({ recordId: RECORD_ID });
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: RECORD_ID }]);
    expect(toast.mock.calls[0][0].detail.variant).toBe('success');
    expect(element.shadowRoot.querySelector('c-closewise-error-panel')).toBeNull();
    expectAccessible(element);
  });

  it('disables the buttons while a call is running', async () => {
    let finish;
    rescore.mockReturnValue(
      new Promise((resolve) => {
        finish = resolve;
      }),
    );
    const element = mount();
    click(element, '.rescore');
    await flushPromises();
    expect(element.shadowRoot.querySelector('.create-task').disabled).toBe(true);
    expect(element.shadowRoot.querySelector('lightning-spinner').alternativeText).toBe('Waiting for Closewise');
    expectAccessible(element);
    finish(null);
    await flushPromises();
    expect(element.shadowRoot.querySelector('.create-task').disabled).toBe(false);
  });

  it('does not refresh the record when the rescore fails, and shows why', async () => {
    rescore.mockRejectedValue({ body: { message: 'Closewise: model not ready' }, status: 500 });
    const element = mount();
    click(element, '.rescore');
    await flushPromises();
    expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();
    const panel = element.shadowRoot.querySelector('c-closewise-error-panel');
    expect(panel.friendlyMessage).toBe('Closewise could not rescore this record.');
    expect(texts(panel.shadowRoot, '.error-messages li')).toEqual(['Closewise: model not ready']);
    expectAccessible(element);
  });

  it('creates the suggested task', async () => {
    createTask.mockResolvedValue({ taskId: '00T000000000001AAA', subject: 'Book a demo' });
    const element = mount();
    const toast = jest.fn();
    element.addEventListener(ShowToastEventName, toast);
    click(element, '.create-task');
    await flushPromises();
    expect(createTask).toHaveBeenCalledWith({ recordId: RECORD_ID });
    expect(toast.mock.calls[0][0].detail.message).toBe('Book a demo');
    expectAccessible(element);
  });

  it('lists every reason with its impact', async () => {
    getReasons.mockResolvedValue([
      { label: 'Economic buyer met twice', impact: '+14%' },
      { label: 'Close date moved twice', impact: '-6%' },
    ]);
    const element = mount();
    click(element, '.show-reasons');
    await flushPromises();
    expect(texts(element.shadowRoot, '.full-reasons li')).toEqual(['Economic buyer met twice (+14%)', 'Close date moved twice (-6%)']);
    expectAccessible(element);
  });

  it('says so when there are no reasons', async () => {
    getReasons.mockResolvedValue([]);
    const element = mount();
    click(element, '.show-reasons');
    await flushPromises();
    expect(texts(element.shadowRoot, '.no-reasons')).toEqual(['Closewise has no reasons for this record yet.']);
    expectAccessible(element);
  });

  it('shows the access error and makes no further call when Apex refuses the record', async () => {
    rescore.mockRejectedValue(accessError());
    const element = mount();
    const toast = jest.fn();
    element.addEventListener(ShowToastEventName, toast);
    click(element, '.rescore');
    await flushPromises();

    const panel = element.shadowRoot.querySelector('c-closewise-error-panel');
    expect(panel.friendlyMessage).toBe('Closewise could not rescore this record.');
    expect(texts(panel.shadowRoot, '.error-messages li')).toEqual([NO_ACCESS_MESSAGE]);
    const disabled = Array.from(element.shadowRoot.querySelectorAll('lightning-button')).map((b) => b.disabled);
    expect(disabled).toEqual([true, true, true]);

    // Even if a click gets through (the stub button does not block it), nothing more goes to Apex.
    click(element, '.rescore');
    click(element, '.create-task');
    click(element, '.show-reasons');
    await flushPromises();
    expect(rescore).toHaveBeenCalledTimes(1);
    expect(createTask).not.toHaveBeenCalled();
    expect(getReasons).not.toHaveBeenCalled();
    expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();
    expect(toast).not.toHaveBeenCalled();
    expect(texts(panel.shadowRoot, '.error-messages li')).toEqual([NO_ACCESS_MESSAGE]);
    expectAccessible(element);
  });

  it('keeps the actions on after any other error, so the rep can retry', async () => {
    rescore.mockRejectedValueOnce({ body: { message: 'Closewise: model not ready' }, status: 500 });
    rescore.mockResolvedValueOnce(null);
    const element = mount();
    click(element, '.rescore');
    await flushPromises();
    expect(element.shadowRoot.querySelector('.rescore').disabled).toBe(false);
    click(element, '.rescore');
    await flushPromises();
    expect(rescore).toHaveBeenCalledTimes(2);
    expect(element.shadowRoot.querySelector('c-closewise-error-panel')).toBeNull();
  });
});
