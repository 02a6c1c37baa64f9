import getModelStatus from '@salesforce/apex/ClosewiseController.getModelStatus';
import ClosewiseAccountCard from 'c/closewiseAccountCard';
import { expectAccessible } from 'closewise-test/a11y';
import { flushPromises, resetDom, texts, uiRecord } from 'closewise-test/helpers';
import { getRecord } from 'lightning/uiRecordApi';
import { createElement } from 'lwc';

jest.mock(
  '@salesforce/apex/ClosewiseController.getModelStatus',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);

const RECORD_ID = '001000000000001AAA';
const SCORED = {
  Closewise_Engagement_Level__c: 'Lonely',
  Closewise_Next_Action__c: 'Find a second contact in finance',
  Closewise_Scored_At__c: '2026-11-20T09:30:00.000Z',
};

function mount() {
  const element = createElement('c-closewise-account-card', { is: ClosewiseAccountCard });
  element.recordId = RECORD_ID;
  document.body.appendChild(element);
  return element;
}

describe('c-closewise-account-card', () => {
  afterEach(resetDom);

  it('shows a spinner while the record loads', async () => {
    const element = mount();
    await flushPromises();
    expect(element.shadowRoot.querySelector('lightning-spinner').alternativeText).toBe('Loading the Closewise engagement');
    expect(getRecord.getLastConfig().fields).toContain('Account.Closewise_Engagement_Level__c');
    expectAccessible(element);
  });

  it('says there is no engagement yet', async () => {
    const element = mount();
    getRecord.emit(uiRecord('Account', RECORD_ID, { ...SCORED, Closewise_Scored_At__c: null }));
    await flushPromises();
    expect(texts(element.shadowRoot, '.no-score')[0]).toMatch(/No Closewise engagement yet/);
    expectAccessible(element);
  });

  it.each([
    ['High', 100, 'base-autocomplete'],
    ['Medium', 60, 'base'],
    ['Lonely', 20, 'warning'],
  ])('shows the %s engagement level', async (level, value, variant) => {
    const element = mount();
    getModelStatus.emit({ activatedAt: '2026-11-01T00:00:00.000Z', version: 1 });
    getRecord.emit(uiRecord('Account', RECORD_ID, { ...SCORED, Closewise_Engagement_Level__c: level }));
    await flushPromises();
    const root = element.shadowRoot;
    expect(root.querySelector('.level').label).toBe(`Engagement ${level}`);
    expect(root.querySelector('lightning-progress-bar').value).toBe(value);
    expect(root.querySelector('lightning-progress-bar').variant).toBe(variant);
    expect(root.querySelector('.engagement').getAttribute('aria-label')).toBe(`Engagement level ${level}`);
    expect(texts(root, '.next-action')).toEqual(['Find a second contact in finance']);
    expect(root.querySelector('.prior-model')).toBeNull();
    expectAccessible(element);
  });

  it('flags engagement measured by the prior model', async () => {
    const element = mount();
    getModelStatus.emit({ activatedAt: '2026-11-21T00:00:00.000Z', version: 2 });
    getRecord.emit(uiRecord('Account', RECORD_ID, SCORED));
    await flushPromises();
    expect(element.shadowRoot.querySelector('.prior-model lightning-badge').label).toBe('Prior model');
    expectAccessible(element);
  });

  it('shows the error panel when the record cannot be read', async () => {
    const element = mount();
    getRecord.error({ message: 'Insufficient access' });
    await flushPromises();
    const panel = element.shadowRoot.querySelector('c-closewise-error-panel');
    expect(panel.shadowRoot.querySelector('[role="alert"]').textContent).toMatch(/Insufficient access/);
    expect(element.shadowRoot.querySelector('c-closewise-actions')).toBeNull();
    expectAccessible(element);
  });
});
