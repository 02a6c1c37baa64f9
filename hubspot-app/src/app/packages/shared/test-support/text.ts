/** The parts of a rendered node (root, element, fragment or text) that carry text. */
interface NodeLike {
  nodeType: string;
  text?: string | null;
  childNodes?: readonly NodeLike[];
  props?: object;
}

function isNodeLike(value: unknown): value is NodeLike {
  return typeof value === 'object' && value !== null && 'nodeType' in value && 'childNodes' in value;
}

/** All text under a node, depth first, joined by spaces (the kit's `.text` holds direct text children only). */
export function deepText(node: NodeLike): string {
  if (node.nodeType === 'text') return node.text ?? '';
  const parts: string[] = [];
  // Fragment props (e.g. a title given as JSX) render text too; plain string props such as labels are not text.
  for (const value of Object.values(node.props ?? {})) if (isNodeLike(value)) parts.push(deepText(value));
  for (const child of node.childNodes ?? []) parts.push(deepText(child));
  return parts.filter((p) => p.length > 0).join(' ');
}
