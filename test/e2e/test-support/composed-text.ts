import type { Locator } from 'playwright-core';

/** What the walk below reads of a DOM node (the root tsconfig has no DOM lib). */
interface FlatTreeNode {
  nodeType: number;
  localName?: string;
  textContent: string | null;
  childNodes: ArrayLike<FlatTreeNode>;
  shadowRoot?: FlatTreeNode | null;
  assignedNodes?: (options: { flatten: boolean }) => FlatTreeNode[];
}

/**
 * The text a reader sees in an element, through shadow roots and slots (the flat tree), whitespace collapsed.
 * textContent and innerText stop at a shadow host, e.g. a lightning-badge whose label is in its shadow root.
 */
export function composedText(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    const TEXT_NODE = 3;
    const parts: string[] = [];
    const walk = (node: FlatTreeNode): void => {
      if (node.nodeType === TEXT_NODE) {
        parts.push(node.textContent ?? '');
      } else if (node.localName === 'slot' && node.assignedNodes) {
        for (const child of node.assignedNodes({ flatten: true })) walk(child);
      } else {
        for (const child of Array.from((node.shadowRoot ?? node).childNodes)) walk(child);
      }
    };
    walk(element as unknown as FlatTreeNode);
    return parts.join('').replace(/\s+/g, ' ').trim();
  });
}
