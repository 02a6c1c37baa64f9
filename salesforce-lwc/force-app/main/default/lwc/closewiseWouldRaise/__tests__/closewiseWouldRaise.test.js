import getWouldRaise from '@salesforce/apex/ClosewiseController.getWouldRaise';
import ClosewiseWouldRaise from 'c/closewiseWouldRaise';
import { expectAccessible } from 'closewise-test/a11y';
import { flushPromises, resetDom, texts } from 'closewise-test/helpers';
import { createElement } from 'lwc';

jest.mock('@salesforce/apex/ClosewiseController.getWouldRaise', () => ({ default: jest.fn() }), { virtual: true });

const RECORD_ID = '006000000000001AAA';
const CAVEAT = 'The model’s score of this record if done today; an estimate, not a promise.';

function mount(scoredAt = '2026-11-20T09:30:00.000Z') {
  const element = createElement('c-closewise-would-raise', { is: ClosewiseWouldRaise });
  element.recordId = RECORD_ID;
  element.scoredAt = scoredAt;
  document.body.appendChild(element);
  return element;
}

describe('c-closewise-would-raise', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  it('lists what would raise the score, each with the estimate and its points, labelled as estimates', async () => {
    getWouldRaise.mockResolvedValue({
      suggestions: [
        { action: 'log_call', label: 'Log a call', estimate: 48.2, points: 24.8 },
        { action: 'update_close_date', label: 'Move the close date to 3 Jan', estimate: 30.5, points: 7 },
      ],
    });
    const element = mount();
    await flushPromises();
    expect(getWouldRaise).toHaveBeenCalledWith({ recordId: RECORD_ID });
    expect(texts(element.shadowRoot, 'h3')).toEqual(['What would raise it (estimates)']);
    expect(texts(element.shadowRoot, '.suggestions li')).toEqual([
      'Log a call: about 48% (+24.8 pts)',
      'Move the close date to 3 Jan: about 31% (+7 pts)',
    ]);
    expect(texts(element.shadowRoot, '.caveat')).toEqual([CAVEAT]);
    expectAccessible(element);
  });

  it('shows nothing when nothing would raise it or when the backend cannot answer', async () => {
    getWouldRaise.mockResolvedValue({ suggestions: [] });
    const none = mount();
    await flushPromises();
    expect(none.shadowRoot.querySelector('.would-raise')).toBeNull();
    resetDom();
    getWouldRaise.mockRejectedValue({ body: { message: 'Closewise answered 502 Error' } });
    const failed = mount();
    await flushPromises();
    expect(failed.shadowRoot.querySelector('.would-raise')).toBeNull();
  });

  it('reloads after a rescore (a new scored-at)', async () => {
    getWouldRaise.mockResolvedValueOnce({ suggestions: [{ action: 'send_email', label: 'Send an email', estimate: 20, points: 3.1 }] });
    const element = mount();
    await flushPromises();
    expect(texts(element.shadowRoot, '.suggestions li')).toEqual(['Send an email: about 20% (+3.1 pts)']);
    getWouldRaise.mockResolvedValueOnce({ suggestions: [{ action: 'book_meeting', label: 'Book a meeting', estimate: 41, points: 9 }] });
    element.scoredAt = '2026-11-21T09:30:00.000Z';
    await flushPromises();
    expect(getWouldRaise).toHaveBeenCalledTimes(2);
    expect(texts(element.shadowRoot, '.suggestions li')).toEqual(['Book a meeting: about 41% (+9 pts)']);
  });
});
