/** Helpers shared by the LWC tests. */

/** Lets LWC re-render after a wire emit or a resolved promise. */
export function flushPromises() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A UI API record as getRecord emits it: every field has value and displayValue. */
export function uiRecord(apiName, id, values) {
  const fields = {};
  for (const [name, value] of Object.entries(values)) {
    fields[name] = { value, displayValue: value === null ? null : String(value) };
  }
  return { apiName, id, fields };
}

export function resetDom() {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
}

export function texts(root, selector) {
  return Array.from(root.querySelectorAll(selector)).map((el) => el.textContent.replace(/\s+/g, ' ').trim());
}
