/**
 * Turns the card's rendered component tree (from @hubspot/ui-extensions/testing) into plain HTML that
 * looks enough like HubSpot's components to judge a card, with every button wired to the live tree.
 */

/** The shape of a rendered node we read (root, fragment, element or text). */
export interface TreeNode {
  nodeType: string;
  name?: string;
  text?: string | null;
  props?: Record<string, unknown>;
  childNodes?: readonly TreeNode[];
  trigger?: (event: string, arg?: never) => void;
}

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const attr = (value: unknown) => escapeHtml(String(value));

function isNode(value: unknown): value is TreeNode {
  return typeof value === 'object' && value !== null && 'nodeType' in value && 'childNodes' in value;
}

export interface RenderedHtml {
  html: string;
  /** Element nodes by the number written into `data-node`, so a click can be routed back to its handler. */
  nodes: TreeNode[];
}

export function treeToHtml(root: TreeNode): RenderedHtml {
  const nodes: TreeNode[] = [];

  const children = (node: TreeNode) => (node.childNodes ?? []).map(render).join('');
  const fragmentProp = (node: TreeNode, name: string) => {
    const value = node.props?.[name];
    if (isNode(value)) return children(value);
    return typeof value === 'string' ? escapeHtml(value) : '';
  };
  const interactive = (node: TreeNode) => {
    nodes.push(node);
    return nodes.length - 1;
  };

  function render(node: TreeNode): string {
    if (node.nodeType === 'text') return escapeHtml(node.text ?? '');
    if (node.nodeType !== 'element') return children(node);
    const p = node.props ?? {};
    const testId = typeof p['testId'] === 'string' ? ` data-testid="${attr(p['testId'])}"` : '';
    switch (node.name) {
      case 'Flex':
      case 'Stack':
      case 'Inline':
        return `<div class="flex ${p['direction'] === 'row' || node.name === 'Inline' ? 'row' : 'column'} gap-${attr(p['gap'] ?? p['distance'] ?? 'sm')} justify-${attr(p['justify'] ?? 'start')} align-${attr(p['align'] ?? 'stretch')}"${testId}>${children(node)}</div>`;
      case 'Box':
      case 'AutoGrid':
      case 'ButtonRow':
        return `<div class="${node.name === 'ButtonRow' ? 'button-row' : 'box'}"${testId}>${children(node)}</div>`;
      case 'Tile':
        return `<div class="tile"${testId}>${children(node)}</div>`;
      case 'Text': {
        const format = (p['format'] ?? {}) as { fontWeight?: string };
        const tag = p['inline'] ? 'span' : 'p';
        return `<${tag} class="text ${attr(p['variant'] ?? 'bodytext')} ${format.fontWeight === 'bold' || format.fontWeight === 'demibold' ? 'bold' : ''}"${testId}>${children(node)}</${tag}>`;
      }
      case 'Heading':
        return `<h3${testId}>${children(node)}</h3>`;
      case 'Statistics':
        return `<div class="statistics"${testId}>${children(node)}</div>`;
      case 'StatisticsItem':
        return `<div class="stat"${testId}><div class="stat-label">${attr(p['label'])}</div><div class="stat-number">${attr(p['number'])}</div>${children(node)}</div>`;
      case 'StatisticsTrend':
        return `<span class="trend ${p['direction'] === 'increase' ? 'up' : 'down'}"${testId}>${p['direction'] === 'increase' ? '▲' : '▼'} ${attr(p['value'])}</span>`;
      case 'ScoreCircle':
        return `<span class="score-circle"${testId}>${attr(p['score'])}</span>`;
      case 'ProgressBar': {
        const value = Number(p['value'] ?? 0);
        const max = Number(p['maxValue'] ?? 100);
        const percent = max > 0 ? Math.round((value / max) * 100) : 0;
        return `<div class="progress progress-${attr(p['variant'] ?? 'success')}"${testId}><div class="progress-head"><span class="stat-label">${attr(p['title'] ?? '')}</span>${
          p['showPercentage'] ? `<span>${percent}%</span>` : ''
        }</div><progress value="${attr(value)}" max="${attr(max)}" aria-label="${attr(p['title'] ?? 'progress')}"></progress>${
          typeof p['valueDescription'] === 'string' ? `<p class="text microcopy">${attr(p['valueDescription'])}</p>` : ''
        }</div>`;
      }
      case 'Tag':
      case 'StatusTag':
        return `<span class="tag tag-${attr(p['variant'] ?? 'default')}"${testId}>${children(node)}</span>`;
      case 'Alert':
        return `<div role="alert" class="alert alert-${attr(p['variant'] ?? 'info')}"${testId}><strong>${fragmentProp(node, 'title')}</strong> ${children(node)}</div>`;
      case 'ErrorState':
        return `<div role="alert" class="error-state"${testId}><h3>${fragmentProp(node, 'title')}</h3>${children(node)}</div>`;
      case 'EmptyState':
        return `<div class="empty-state"${testId}><h3>${fragmentProp(node, 'title')}</h3>${children(node)}</div>`;
      case 'LoadingSpinner':
        return `<div role="status" class="spinner"${testId}>${attr(p['label'] ?? 'Loading')}</div>`;
      case 'Button':
      case 'LoadingButton': {
        const id = interactive(node);
        const busy = p['loading'] === true;
        return `<button type="button" class="button ${attr(p['variant'] ?? 'secondary')} size-${attr(p['size'] ?? 'md')}" data-node="${id}" data-event="onClick"${p['disabled'] || busy ? ' disabled' : ''}${testId}>${busy ? '⏳ ' : ''}${children(node)}</button>`;
      }
      case 'Link':
        return `<a href="${attr(typeof p['href'] === 'string' ? p['href'] : '#')}"${testId}>${children(node)}</a>`;
      case 'List': {
        const ordered = String(p['variant'] ?? '').startsWith('ordered');
        const items = (node.childNodes ?? []).map((c) => `<li>${render(c)}</li>`).join('');
        return ordered ? `<ol${testId}>${items}</ol>` : `<ul${testId}>${items}</ul>`;
      }
      case 'DescriptionList':
        return `<dl class="description-list"${testId}>${children(node)}</dl>`;
      case 'DescriptionListItem':
        return `<div class="dl-item"${testId}><dt>${attr(p['label'])}</dt><dd>${children(node)}</dd></div>`;
      case 'Divider':
        return '<hr>';
      case 'Table':
        return `<table${testId}>${children(node)}</table>`;
      case 'TableHead':
        return `<thead>${children(node)}</thead>`;
      case 'TableBody':
        return `<tbody>${children(node)}</tbody>`;
      case 'TableFooter':
        return `<tfoot>${children(node)}</tfoot>`;
      case 'TableRow':
        return `<tr>${children(node)}</tr>`;
      case 'TableHeader':
        return `<th>${children(node)}</th>`;
      case 'TableCell':
        return `<td>${children(node)}</td>`;
      default:
        // Inputs and anything else: show the label and value, read-only (the preview targets record cards).
        return `<div class="component" data-component="${attr(node.name ?? 'unknown')}"${testId}>${
          typeof p['label'] === 'string' ? `<span class="stat-label">${attr(p['label'])}</span> ` : ''
        }${p['value'] !== undefined ? attr(p['value']) : ''}${children(node)}</div>`;
    }
  }

  return { html: render(root), nodes };
}
