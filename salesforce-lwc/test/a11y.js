/**
 * A focused accessibility check for LWC jest tests, used because @sa11y/jest is not installed here.
 * Base components are stubs in jest (they render nothing), so for them we check the accessible-name
 * properties the real components turn into labels; for our own markup we check the DOM itself.
 * It walks every shadow root below the element and returns a list of problems (empty when accessible).
 */

const ARIA_ATTRIBUTES = new Set([
  'aria-activedescendant',
  'aria-atomic',
  'aria-autocomplete',
  'aria-busy',
  'aria-checked',
  'aria-colcount',
  'aria-colindex',
  'aria-colspan',
  'aria-controls',
  'aria-current',
  'aria-describedby',
  'aria-description',
  'aria-details',
  'aria-disabled',
  'aria-errormessage',
  'aria-expanded',
  'aria-flowto',
  'aria-haspopup',
  'aria-hidden',
  'aria-invalid',
  'aria-keyshortcuts',
  'aria-label',
  'aria-labelledby',
  'aria-level',
  'aria-live',
  'aria-modal',
  'aria-multiline',
  'aria-multiselectable',
  'aria-orientation',
  'aria-owns',
  'aria-placeholder',
  'aria-posinset',
  'aria-pressed',
  'aria-readonly',
  'aria-relevant',
  'aria-required',
  'aria-roledescription',
  'aria-rowcount',
  'aria-rowindex',
  'aria-rowspan',
  'aria-selected',
  'aria-setsize',
  'aria-sort',
  'aria-valuemax',
  'aria-valuemin',
  'aria-valuenow',
  'aria-valuetext',
]);
const ID_REFERENCES = ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'aria-errormessage', 'aria-flowto'];
const ROLES = new Set([
  'alert',
  'alertdialog',
  'button',
  'checkbox',
  'dialog',
  'group',
  'heading',
  'img',
  'link',
  'list',
  'listitem',
  'log',
  'main',
  'marquee',
  'meter',
  'navigation',
  'note',
  'presentation',
  'none',
  'progressbar',
  'region',
  'status',
  'tab',
  'tablist',
  'tabpanel',
  'timer',
  'toolbar',
  'tooltip',
]);
const NEEDS_NAME_ROLES = new Set(['img', 'group', 'region', 'meter', 'progressbar', 'dialog', 'alertdialog']);

// Base component → the property that becomes its accessible name in the real component.
const BASE_COMPONENT_NAMES = {
  'LIGHTNING-BUTTON': ['label', 'title'],
  'LIGHTNING-BUTTON-ICON': ['alternativeText'],
  'LIGHTNING-ICON': ['alternativeText'],
  'LIGHTNING-SPINNER': ['alternativeText'],
  'LIGHTNING-CARD': ['title'],
  'LIGHTNING-BADGE': ['label'],
};
// Progress ring and bar carry no label of their own: an ancestor must name them.
const NEEDS_NAMED_ANCESTOR = new Set(['LIGHTNING-PROGRESS-RING', 'LIGHTNING-PROGRESS-BAR']);

function describe(el) {
  const cls = el.getAttribute?.('class');
  return `<${el.tagName.toLowerCase()}${cls ? ` class="${cls}"` : ''}>`;
}

function textOf(el) {
  return (el.textContent || '').replace(/\s+/g, ' ').trim();
}

function hasAccessibleName(el, root) {
  if ((el.getAttribute('aria-label') || '').trim()) return true;
  const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  return ids.length > 0 && ids.every((id) => findById(root, id));
}

// Synthetic shadow roots forbid getElementById; ids are only meaningful within one root anyway.
function findById(root, id) {
  return Array.from(root.querySelectorAll('[id]')).some((el) => el.getAttribute('id') === id);
}

function namedAncestor(el, root) {
  for (let node = el.parentElement; node; node = node.parentElement) {
    if (node.getAttribute('role') && hasAccessibleName(node, root)) return true;
  }
  return false;
}

function checkRoot(root, problems) {
  const elements = Array.from(root.querySelectorAll('*'));
  const seenIds = new Set();
  let lastHeading = 0;
  for (const el of elements) {
    const id = el.getAttribute('id');
    if (id) {
      if (seenIds.has(id)) problems.push(`duplicate id "${id}"`);
      seenIds.add(id);
    }
    for (const attr of Array.from(el.attributes)) {
      if (attr.name.startsWith('aria-') && !ARIA_ATTRIBUTES.has(attr.name)) problems.push(`${describe(el)} has unknown ${attr.name}`);
    }
    for (const ref of ID_REFERENCES) {
      const value = el.getAttribute(ref);
      if (value === null) continue;
      for (const target of value.split(/\s+/).filter(Boolean)) {
        if (!findById(root, target)) problems.push(`${describe(el)} ${ref} points to missing id "${target}"`);
      }
    }
    const role = el.getAttribute('role');
    if (role !== null) {
      if (!ROLES.has(role)) problems.push(`${describe(el)} has unknown role "${role}"`);
      if (NEEDS_NAME_ROLES.has(role) && !hasAccessibleName(el, root))
        problems.push(`${describe(el)} role="${role}" has no accessible name`);
    }
    if (el.tagName === 'IMG' && el.getAttribute('alt') === null) problems.push(`${describe(el)} has no alt text`);
    if (el.tagName === 'BUTTON' && !textOf(el) && !hasAccessibleName(el, root)) problems.push(`${describe(el)} has no accessible name`);
    if (el.tagName === 'A' && !textOf(el) && !hasAccessibleName(el, root)) problems.push(`${describe(el)} link has no text`);
    if (el.tagName === 'UL' || el.tagName === 'OL') {
      for (const child of Array.from(el.children)) {
        if (child.tagName !== 'LI') problems.push(`${describe(el)} contains ${describe(child)}, not <li>`);
      }
    }
    const heading = /^H([1-6])$/.exec(el.tagName);
    if (heading) {
      const level = Number(heading[1]);
      if (!textOf(el)) problems.push(`${describe(el)} is an empty heading`);
      if (lastHeading && level > lastHeading + 1) problems.push(`${describe(el)} skips from h${lastHeading} to h${level}`);
      lastHeading = level;
    }
    const nameProps = BASE_COMPONENT_NAMES[el.tagName];
    if (nameProps && !nameProps.some((prop) => typeof el[prop] === 'string' && el[prop].trim())) {
      problems.push(`${describe(el)} has no ${nameProps.join(' or ')}`);
    }
    if (NEEDS_NAMED_ANCESTOR.has(el.tagName) && !namedAncestor(el, root)) {
      problems.push(`${describe(el)} is not inside a named group`);
    }
    if (el.shadowRoot) checkRoot(el.shadowRoot, problems);
  }
}

/** The problems found under element (its shadow root and every nested one). */
export function accessibilityProblems(element) {
  const problems = [];
  checkRoot(element.shadowRoot || element, problems);
  return problems;
}

/** Fails the test with every problem listed. */
export function expectAccessible(element) {
  expect(accessibilityProblems(element)).toEqual([]);
}
