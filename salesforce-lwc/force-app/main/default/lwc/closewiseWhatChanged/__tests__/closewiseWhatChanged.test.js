import getChange from '@salesforce/apex/ClosewiseController.getChange';
import ClosewiseWhatChanged from 'c/closewiseWhatChanged';
import { expectAccessible } from 'closewise-test/a11y';
import { flushPromises, resetDom, texts } from 'closewise-test/helpers';
import { createElement } from 'lwc';

jest.mock('@salesforce/apex/ClosewiseController.getChange', () => ({ default: jest.fn() }), { virtual: true });

const RECORD_ID = '006000000000001AAA';

function mount(scoredAt = '2026-11-20T09:30:00.000Z') {
  const element = createElement('c-closewise-what-changed', { is: ClosewiseWhatChanged });
  element.recordId = RECORD_ID;
  element.scoredAt = scoredAt;
  document.body.appendChild(element);
  return element;
}

describe('c-closewise-what-changed', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  it('says how many points the score moved since the previous one, and which factors moved it', async () => {
    getChange.mockResolvedValue({
      changed: true,
      points: 12.4,
      since: '2026-11-03T09:00:00.000Z',
      movers: [
        { label: 'Amount 304,000', points: 9.1 },
        { label: 'No decision maker on the deal', points: -3.5 },
      ],
    });
    const element = mount();
    await flushPromises();
    expect(getChange).toHaveBeenCalledWith({ recordId: RECORD_ID });
    expect(texts(element.shadowRoot, '.summary')).toEqual(['+12.4 pts since 3 Nov']);
    expect(texts(element.shadowRoot, '.movers li')).toEqual(['Amount 304,000 (+9.1 pts)', 'No decision maker on the deal (−3.5 pts)']);
    expectAccessible(element);
  });

  it('shows nothing on a first score or when the backend cannot answer', async () => {
    getChange.mockResolvedValue({ changed: false, points: null, since: null, movers: [] });
    const first = mount();
    await flushPromises();
    expect(first.shadowRoot.querySelector('.what-changed')).toBeNull();
    resetDom();
    getChange.mockRejectedValue({ body: { message: 'Closewise answered 502 Error' } });
    const failed = mount();
    await flushPromises();
    expect(failed.shadowRoot.querySelector('.what-changed')).toBeNull();
  });

  it('reloads after a rescore (a new scored-at)', async () => {
    getChange.mockResolvedValue({ changed: true, points: -4, since: '2026-11-15T09:00:00.000Z', movers: [] });
    const element = mount();
    await flushPromises();
    expect(texts(element.shadowRoot, '.summary')).toEqual(['−4 pts since 15 Nov']);
    element.scoredAt = '2026-11-21T09:30:00.000Z';
    await flushPromises();
    expect(getChange).toHaveBeenCalledTimes(2);
  });
});
