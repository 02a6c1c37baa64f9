import type { Page } from 'playwright-core';

// The page's side of the checks runs in Chromium; the repo's tsconfig has no DOM lib, so these are the few
// DOM members the checks use, typed structurally.
interface Box {
  left: number;
  right: number;
  width: number;
  height: number;
}
interface PageElement {
  tagName: string;
  id: string;
  textContent: string | null;
  children: ArrayLike<PageElement>;
  parentElement: PageElement | null;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): Box;
}
interface PageDocument {
  body: PageElement & { querySelectorAll(selector: string): ArrayLike<PageElement> };
  documentElement: PageElement;
  createRange(): { selectNodeContents(node: PageElement): void; getBoundingClientRect(): Box };
}
interface PageWindow {
  document: PageDocument;
  getComputedStyle(element: PageElement): {
    visibility: string;
    display: string;
    textOverflow: string;
    overflowX: string;
    overflowY: string;
  };
}

export interface NameCheck {
  name: string;
  /** Elements whose whole text is the name (the deepest ones). */
  found: number;
  problems: string[];
}

/** How far the page is wider than the viewport (0: no sideways scrolling, nothing cut off a printed page). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageWindow;
    return document.documentElement.scrollWidth - document.documentElement.clientWidth;
  });
}

/**
 * For each name: the deepest elements whose whole text is the name, and what is wrong with each of them (not
 * rendered, overflowing its box, ellipsis, outside the viewport's width, or cut by an ancestor that clips).
 */
export function checkNames(page: Page, names: string[]): Promise<NameCheck[]> {
  return page.evaluate((list) => {
    const win = globalThis as unknown as PageWindow;
    const { document } = win;
    const viewport = document.documentElement.clientWidth;
    const all = Array.from(document.body.querySelectorAll('*')).filter((el) => el.tagName !== 'SCRIPT' && el.tagName !== 'STYLE');
    return list.map((name) => {
      const matches = all.filter(
        (el) => el.textContent?.trim() === name && !Array.from(el.children).some((child) => child.textContent?.trim() === name),
      );
      const problems: string[] = [];
      for (const el of matches) {
        const where = `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}>`;
        const box = el.getBoundingClientRect();
        const style = win.getComputedStyle(el);
        if (box.width === 0 || box.height === 0 || style.visibility !== 'visible' || style.display === 'none')
          problems.push(`${where} not visible`);
        if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
          problems.push(`${where} overflows: ${el.scrollWidth} > ${el.clientWidth}`);
        if (style.textOverflow === 'ellipsis') problems.push(`${where} has text-overflow: ellipsis`);
        if (box.left < -0.5 || box.right > viewport + 0.5)
          problems.push(`${where} spans ${box.left.toFixed(0)}–${box.right.toFixed(0)} px of ${viewport}`);
        // The text can be wider than a clipping box it sits in (an SVG's viewBox, an overflow:hidden cell).
        const range = document.createRange();
        range.selectNodeContents(el);
        const text = range.getBoundingClientRect();
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
          const s = win.getComputedStyle(up);
          if (s.overflowX === 'visible' && s.overflowY === 'visible' && up.tagName.toLowerCase() !== 'svg') continue;
          const clip = up.getBoundingClientRect();
          if (text.left < clip.left - 0.5 || text.right > clip.right + 0.5)
            problems.push(
              `${where} text ${text.left.toFixed(0)}–${text.right.toFixed(0)} px cut by <${up.tagName.toLowerCase()}> ${clip.left.toFixed(0)}–${clip.right.toFixed(0)} px`,
            );
        }
      }
      return { name, found: matches.length, problems };
    });
  }, names);
}
