import type { RenderedChildNode, RenderedParentNode } from '@hubspot/ui-extensions/testing';

/** All text under a node, depth first, joined by spaces (the kit's `.text` holds direct text children only). */
export function deepText(node: RenderedParentNode | RenderedChildNode): string {
  if (node.nodeType === 'text') return node.text;
  const parts: string[] = [];
  for (const [name, value] of Object.entries('props' in node ? node.props : {})) {
    // Fragment props (e.g. a title given as JSX) render text too; plain string props such as labels are not text.
    if (name !== 'children' && typeof value === 'object' && value !== null && 'nodeType' in value && 'childNodes' in value) {
      parts.push(deepText(value as RenderedParentNode));
    }
  }
  for (const child of node.childNodes) parts.push(deepText(child));
  return parts.filter((p) => p.length > 0).join(' ');
}
