import getChange from '@salesforce/apex/ClosewiseController.getChange';
import getModelStatus from '@salesforce/apex/ClosewiseController.getModelStatus';
import getWouldRaise from '@salesforce/apex/ClosewiseController.getWouldRaise';
import ClosewiseOpportunityCard from 'c/closewiseOpportunityCard';
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

const RECORD_ID = '006000000000001AAA';
const SCORED = {
  Closewise_Win_Probability__c: 72.4,
  Closewise_Deal_Score__c: '4',
  Closewise_Trend__c: 'Improving',
  Closewise_Top_Reasons__c: 'Economic buyer met twice\nReplied within a day\n',
  Closewise_Next_Action__c: 'Send the order form',
  Closewise_Scored_At__c: '2026-11-20T09:30:00.000Z',
};

function mount() {
  const element = createElement('c-closewise-opportunity-card', { is: ClosewiseOpportunityCard });
  element.recordId = RECORD_ID;
  document.body.appendChild(element);
  return element;
}

describe('c-closewise-opportunity-card', () => {
  afterEach(resetDom);

  it('shows a spinner while the record loads', async () => {
    const element = mount();
    await flushPromises();
    const spinner = element.shadowRoot.querySelector('lightning-spinner');
    expect(spinner).not.toBeNull();
    expect(spinner.alternativeText).toBe('Loading the Closewise score');
    expect(element.shadowRoot.querySelector('c-closewise-actions')).toBeNull();
    expectAccessible(element);
  });

  it('asks for the Closewise fields of the opportunity', async () => {
    mount();
    await flushPromises();
    const config = getRecord.getLastConfig();
    expect(config.recordId).toBe(RECORD_ID);
    expect(config.fields).toEqual(
      expect.arrayContaining(['Opportunity.Closewise_Win_Probability__c', 'Opportunity.Closewise_Scored_At__c']),
    );
  });

  it('says there is no score yet when the record was never scored', async () => {
    const element = mount();
    getRecord.emit(uiRecord('Opportunity', RECORD_ID, { ...SCORED, Closewise_Scored_At__c: null, Closewise_Win_Probability__c: null }));
    await flushPromises();
    expect(texts(element.shadowRoot, '.no-score')[0]).toMatch(/No Closewise score yet/);
    expect(element.shadowRoot.querySelector('lightning-progress-ring')).toBeNull();
    expect(element.shadowRoot.querySelector('c-closewise-actions')).not.toBeNull();
    expectAccessible(element);
  });

  it('shows probability, deal score, trend, reasons and next action for a current score', async () => {
    const element = mount();
    getModelStatus.emit({ activatedAt: '2026-11-01T00:00:00.000Z', version: 3 });
    getRecord.emit(uiRecord('Opportunity', RECORD_ID, SCORED));
    await flushPromises();
    const root = element.shadowRoot;
    expect(root.querySelector('lightning-progress-ring').value).toBe(72.4);
    expect(root.querySelector('.score').getAttribute('aria-label')).toBe('Win probability 72%');
    expect(texts(root, '.probability')[0]).toBe('72% win probability');
    expect(root.querySelector('.deal-score').label).toBe('Deal score 4 of 5');
    expect(root.querySelector('.trend').label).toBe('Improving');
    expect(root.querySelector('.trend').iconName).toBe('utility:arrowup');
    expect(texts(root, '.reasons li')).toEqual(['Economic buyer met twice', 'Replied within a day']);
    expect(texts(root, '.next-action')).toEqual(['Send the order form']);
    expect(root.querySelector('.prior-model')).toBeNull();
    expectAccessible(element);
  });

  it('says what would raise it, with the estimates, from the backend through Apex', async () => {
    getWouldRaise.mockResolvedValue({ suggestions: [{ action: 'log_call', label: 'Log a call', estimate: 48.2, points: 24.8 }] });
    const element = mount();
    getRecord.emit(uiRecord('Opportunity', RECORD_ID, SCORED));
    await flushPromises();
    const raise = element.shadowRoot.querySelector('c-closewise-would-raise');
    expect(raise.recordId).toBe(RECORD_ID);
    expect(getWouldRaise).toHaveBeenCalledWith({ recordId: RECORD_ID });
    expect(texts(raise.shadowRoot, 'h3')).toEqual(['What would raise it (estimates)']);
    expect(texts(raise.shadowRoot, '.suggestions li')).toEqual(['Log a call: about 48% (+24.8 pts)']);
    expect(texts(raise.shadowRoot, '.caveat')).toEqual(['The model’s score of this record if done today; an estimate, not a promise.']);
    expectAccessible(element);
  });

  it('says what changed since the previous score, from the backend through Apex', async () => {
    getChange.mockResolvedValue({
      changed: true,
      points: 12.4,
      since: '2026-11-03T09:00:00.000Z',
      movers: [{ label: 'Amount 304,000', points: 9.1 }],
    });
    const element = mount();
    getRecord.emit(uiRecord('Opportunity', RECORD_ID, SCORED));
    await flushPromises();
    const changed = element.shadowRoot.querySelector('c-closewise-what-changed');
    expect(changed.recordId).toBe(RECORD_ID);
    expect(getChange).toHaveBeenCalledWith({ recordId: RECORD_ID });
    expect(texts(changed.shadowRoot, '.summary')).toEqual(['+12.4 pts since 3 Nov']);
    expect(texts(changed.shadowRoot, '.movers li')).toEqual(['Amount 304,000 (+9.1 pts)']);
    expectAccessible(element);
  });

  it('flags a score made before the active model was activated', async () => {
    const element = mount();
    getModelStatus.emit({ activatedAt: '2026-11-21T00:00:00.000Z', version: 4 });
    getRecord.emit(uiRecord('Opportunity', RECORD_ID, SCORED));
    await flushPromises();
    const prior = element.shadowRoot.querySelector('.prior-model');
    expect(prior).not.toBeNull();
    expect(prior.getAttribute('role')).toBe('status');
    expect(prior.querySelector('lightning-badge').label).toBe('Prior model');
    // The old score is still shown: it is information, just not calibrated like the new model's.
    expect(element.shadowRoot.querySelector('lightning-progress-ring').value).toBe(72.4);
    expectAccessible(element);
  });

  it('shows a closed won opportunity with the last score before close, and no rescore action', async () => {
    const element = mount();
    getModelStatus.emit({ activatedAt: '2026-11-01T00:00:00.000Z', version: 3 });
    getRecord.emit(
      uiRecord('Opportunity', RECORD_ID, { ...SCORED, IsClosed: true, IsWon: true, CloseDate: '2026-11-24', StageName: 'Closed Won' }),
    );
    await flushPromises();
    const root = element.shadowRoot;
    expect(root.querySelector('.outcome').label).toBe('Closed won');
    expect(texts(root, '.closed-on')[0]).toMatch(/^Closed on , in stage 'Closed Won'\.$/);
    expect(root.querySelector('.close-date').value).toBe('2026-11-24');
    expect(texts(root, '.last-score')[0]).toMatch(/^Last Closewise win probability before close: 72%, scored/);
    expect(root.querySelector('.last-scored-at').value).toBe('2026-11-20T09:30:00.000Z');
    expect(root.querySelector('c-closewise-actions')).toBeNull();
    expect(root.querySelector('lightning-progress-ring')).toBeNull();
    expect(root.querySelector('.no-score')).toBeNull();
    expectAccessible(element);
  });

  it('shows a closed lost opportunity Closewise never scored, and no rescore action', async () => {
    const element = mount();
    getRecord.emit(
      uiRecord('Opportunity', RECORD_ID, {
        ...SCORED,
        Closewise_Scored_At__c: null,
        Closewise_Win_Probability__c: null,
        IsClosed: true,
        IsWon: false,
        CloseDate: '2026-11-24',
        StageName: 'Closed Lost',
      }),
    );
    await flushPromises();
    const root = element.shadowRoot;
    expect(root.querySelector('.outcome').label).toBe('Closed lost');
    expect(texts(root, '.closed-on')[0]).toMatch(/in stage 'Closed Lost'\.$/);
    expect(texts(root, '.last-score')).toEqual(['Closewise did not score this opportunity while it was open.']);
    expect(root.querySelector('c-closewise-actions')).toBeNull();
    expect(root.querySelector('.no-score')).toBeNull();
    expectAccessible(element);
  });

  it('asks for the standard fields that say whether the opportunity is closed', async () => {
    mount();
    await flushPromises();
    expect(getRecord.getLastConfig().fields).toEqual(
      expect.arrayContaining(['Opportunity.IsClosed', 'Opportunity.IsWon', 'Opportunity.CloseDate', 'Opportunity.StageName']),
    );
  });

  it('shows the error panel when the record cannot be read', async () => {
    const element = mount();
    getRecord.error({ message: 'No access to field Closewise_Win_Probability__c' });
    await flushPromises();
    const panel = element.shadowRoot.querySelector('c-closewise-error-panel');
    expect(panel).not.toBeNull();
    expect(panel.friendlyMessage).toMatch(/could not load this opportunity/);
    const alert = panel.shadowRoot.querySelector('[role="alert"]');
    expect(alert.textContent).toMatch(/No access to field/);
    expect(element.shadowRoot.querySelector('c-closewise-actions')).toBeNull();
    expectAccessible(element);
  });
});
