import { accessibilityProblems } from './a11y';

// The check must be able to fail: feed it markup with known problems.
describe('accessibility check', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('finds missing names, broken references, skipped headings and bad lists', () => {
    document.body.innerHTML = `
            <div id="host">
                <img src="x.png">
                <button></button>
                <div role="img"></div>
                <div role="bogus" aria-bogus="1"></div>
                <p aria-describedby="nowhere">text</p>
                <h2>Title</h2><h4>Too deep</h4>
                <ul><div>not an item</div></ul>
                <span id="twice"></span><span id="twice"></span>
            </div>`;
    const problems = accessibilityProblems(document.getElementById('host'));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('<img> has no alt text'),
        expect.stringContaining('<button> has no accessible name'),
        expect.stringContaining('role="img" has no accessible name'),
        expect.stringContaining('unknown role "bogus"'),
        expect.stringContaining('unknown aria-bogus'),
        expect.stringContaining('points to missing id "nowhere"'),
        expect.stringContaining('skips from h2 to h4'),
        expect.stringContaining('contains <div>, not <li>'),
        expect.stringContaining('duplicate id "twice"'),
      ]),
    );
  });

  it('requires base components to carry their accessible-name properties', () => {
    const host = document.createElement('div');
    const button = document.createElement('lightning-button');
    const ring = document.createElement('lightning-progress-ring');
    host.append(button, ring);
    document.body.appendChild(host);
    const problems = accessibilityProblems(host);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('<lightning-button> has no label or title'),
        expect.stringContaining('<lightning-progress-ring> is not inside a named group'),
      ]),
    );
    button.label = 'Go';
    const group = document.createElement('div');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Win probability 40%');
    group.appendChild(ring);
    host.appendChild(group);
    expect(accessibilityProblems(host)).toEqual([]);
  });
});
