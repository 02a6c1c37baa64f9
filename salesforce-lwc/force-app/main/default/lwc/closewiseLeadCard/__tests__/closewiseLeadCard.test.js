import getChange from '@salesforce/apex/ClosewiseController.getChange';
import getModelStatus from '@salesforce/apex/ClosewiseController.getModelStatus';
import getWouldRaise from '@salesforce/apex/ClosewiseController.getWouldRaise';
import ClosewiseLeadCard from 'c/closewiseLeadCard';
import { expectAccessible } from 'closewise-test/a11y';
import { flushPromises, resetDom, texts, uiRecord } from 'closewise-test/helpers';
import { getRecord } from 'lightning/uiRecordApi';
import { createElement } from 'lwc';

jest.mock('@salesforce/apex/ClosewiseController.getChange', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/ClosewiseController.getWouldRaise', () => ({ default: jest.fn() }), { virtual: true });
jest.mock(
  '@salesforce/apex/ClosewiseController.getModelStatus',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);

const SCORED = {
  Closewise_Likelihood_To_Close__c: 18,
  Closewise_Priority__c: 'Low',
  Closewise_Lead_Grade__c: 'C',
  Closewise_Trend__c: 'Declining',
  Closewise_Top_Reasons__c: 'No reply in 30 days',
  Closewise_Next_Action__c: 'Move to nurture',
  Closewise_Scored_At__c: '2026-11-20T09:30:00.000Z',
};

function mount(objectApiName, recordId) {
  const element = createElement('c-closewise-lead-card', { is: ClosewiseLeadCard });
  element.recordId = recordId;
  element.objectApiName = objectApiName;
  document.body.appendChild(element);
  return element;
}

describe.each([
  ['Lead', '00Q000000000001AAA', 'Closewise lead score', 'lead'],
  ['Contact', '003000000000001AAA', 'Closewise contact score', 'contact'],
])('c-closewise-lead-card on a %s', (objectApiName, recordId, title, noun) => {
  afterEach(resetDom);

  it('shows a spinner while the record loads', async () => {
    const element = mount(objectApiName, recordId);
    await flushPromises();
    expect(element.shadowRoot.querySelector('lightning-card').title).toBe(title);
    expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    expectAccessible(element);
  });

  it(`reads the ${objectApiName} fields`, async () => {
    mount(objectApiName, recordId);
    await flushPromises();
    const config = getRecord.getLastConfig();
    expect(config.fields).toContain(`${objectApiName}.Closewise_Likelihood_To_Close__c`);
    expect(config.fields.every((f) => f.startsWith(`${objectApiName}.`))).toBe(true);
    expect(getModelStatus.getLastConfig()).toEqual({ objectApiName });
  });

  it('says there is no score yet', async () => {
    const element = mount(objectApiName, recordId);
    getRecord.emit(uiRecord(objectApiName, recordId, { ...SCORED, Closewise_Scored_At__c: null }));
    await flushPromises();
    expect(texts(element.shadowRoot, '.no-score')[0]).toMatch(/No Closewise score yet/);
    expect(element.shadowRoot.querySelector('lightning-progress-bar')).toBeNull();
    expectAccessible(element);
  });

  it('shows likelihood, priority, grade, trend and reasons for a current score', async () => {
    const element = mount(objectApiName, recordId);
    getModelStatus.emit({ activatedAt: '2026-11-01T00:00:00.000Z', version: 2 });
    getRecord.emit(uiRecord(objectApiName, recordId, SCORED));
    await flushPromises();
    const root = element.shadowRoot;
    const bar = root.querySelector('lightning-progress-bar');
    expect(bar.value).toBe(18);
    expect(bar.variant).toBe('warning');
    expect(root.querySelector('.score').getAttribute('aria-label')).toBe('Likelihood to close within 90 days 18%');
    expect(root.querySelector('[data-id="priority"]').label).toBe('Priority Low');
    expect(root.querySelector('[data-id="grade"]').label).toBe('Grade C');
    expect(root.querySelector('[data-id="trend"]').iconName).toBe('utility:arrowdown');
    expect(texts(root, '.reasons li')).toEqual(['No reply in 30 days']);
    expect(texts(root, '.next-action')).toEqual(['Move to nurture']);
    expect(root.querySelector('.prior-model')).toBeNull();
    expectAccessible(element);
  });

  it('says what would raise it, with the estimates, from the backend through Apex', async () => {
    getWouldRaise.mockResolvedValue({ suggestions: [{ action: 'send_email', label: 'Send an email', estimate: 31.6, points: 4.2 }] });
    const element = mount(objectApiName, recordId);
    getRecord.emit(uiRecord(objectApiName, recordId, SCORED));
    await flushPromises();
    const raise = element.shadowRoot.querySelector('c-closewise-would-raise');
    expect(raise.recordId).toBe(recordId);
    expect(getWouldRaise).toHaveBeenCalledWith({ recordId: recordId });
    expect(texts(raise.shadowRoot, 'h3')).toEqual(['What would raise it (estimates)']);
    expect(texts(raise.shadowRoot, '.suggestions li')).toEqual(['Send an email: about 32% (+4.2 pts)']);
    expect(texts(raise.shadowRoot, '.caveat')).toEqual(['The model’s score of this record if done today; an estimate, not a promise.']);
    expectAccessible(element);
  });

  it('says what changed since the previous score, from the backend through Apex', async () => {
    getChange.mockResolvedValue({
      changed: true,
      points: -6.2,
      since: '2026-11-03T09:00:00.000Z',
      movers: [{ label: 'No reply in 30 days', points: -4.1 }],
    });
    const element = mount(objectApiName, recordId);
    getRecord.emit(uiRecord(objectApiName, recordId, SCORED));
    await flushPromises();
    const changed = element.shadowRoot.querySelector('c-closewise-what-changed');
    expect(changed.recordId).toBe(recordId);
    expect(getChange).toHaveBeenCalledWith({ recordId: recordId });
    expect(texts(changed.shadowRoot, '.summary')).toEqual(['−6.2 pts since 3 Nov']);
    expect(texts(changed.shadowRoot, '.movers li')).toEqual(['No reply in 30 days (−4.1 pts)']);
    expectAccessible(element);
  });

  it('flags a score from the prior model', async () => {
    const element = mount(objectApiName, recordId);
    getModelStatus.emit({ activatedAt: '2026-11-21T00:00:00.000Z', version: 3 });
    getRecord.emit(uiRecord(objectApiName, recordId, SCORED));
    await flushPromises();
    expect(element.shadowRoot.querySelector('.prior-model lightning-badge').label).toBe('Prior model');
    expectAccessible(element);
  });

  it('shows the error panel when the record cannot be read', async () => {
    const element = mount(objectApiName, recordId);
    getRecord.error({ message: 'Record not found' });
    await flushPromises();
    const panel = element.shadowRoot.querySelector('c-closewise-error-panel');
    expect(panel.friendlyMessage).toBe(`Closewise could not load this ${noun}'s score.`);
    expect(panel.shadowRoot.querySelector('[role="alert"]').textContent).toMatch(/Record not found/);
    expectAccessible(element);
  });
});
