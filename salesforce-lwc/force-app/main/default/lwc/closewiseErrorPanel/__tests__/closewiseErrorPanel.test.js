import ClosewiseErrorPanel from 'c/closewiseErrorPanel';
import { expectAccessible } from 'closewise-test/a11y';
import { resetDom, texts } from 'closewise-test/helpers';
import { createElement } from 'lwc';

function mount(props) {
  const element = createElement('c-closewise-error-panel', { is: ClosewiseErrorPanel });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-closewise-error-panel', () => {
  afterEach(resetDom);

  it('announces the friendly message and each platform message', () => {
    const element = mount({
      friendlyMessage: 'Closewise could not load this record.',
      errors: [{ body: [{ message: 'First' }, { message: 'Second' }] }, new Error('Third')],
    });
    const alert = element.shadowRoot.querySelector('[role="alert"]');
    expect(texts(alert, '.friendly-message')).toEqual(['Closewise could not load this record.']);
    expect(texts(alert, '.error-messages li')).toEqual(['First', 'Second', 'Third']);
    expect(element.shadowRoot.querySelector('lightning-icon').alternativeText).toBe('Error');
    expectAccessible(element);
  });

  it('shows only the friendly message when there are no details', () => {
    const element = mount({ errors: undefined });
    expect(element.shadowRoot.querySelector('.error-messages')).toBeNull();
    expect(texts(element.shadowRoot, '.friendly-message')).toEqual(['Closewise could not load this record.']);
    expectAccessible(element);
  });
});
