import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The install guides send the admin from one page to a section of another ("see self-hosting.md, When something
// fails"): a renamed heading or file would leave them at a dead link in the middle of an install.
const root = join(import.meta.dirname, '..', '..');
const pages = [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'docs'))
    .filter((n) => n.endsWith('.md'))
    .map((n) => join(root, 'docs', n)),
];

/** GitHub's heading anchor: lower case, punctuation dropped (letters, digits, spaces, - and _ kept), spaces to -. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug((m[1] as string).replace(/`/g, ''))));
}

/** Relative links: [text](path.md) or [text](path.md#anchor) or [text](#anchor). */
function relativeLinks(markdown: string): { target: string; anchor: string | null }[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((href) => !/^[a-z]+:/i.test(href))
    .map((href) => {
      const [target, anchor] = href.split('#');
      return { target: target ?? '', anchor: anchor ?? null };
    });
}

describe('relative links in README.md and docs/*.md lead somewhere', () => {
  it('slugs headings as GitHub does', () => {
    expect(slug('Part C — private app (one portal)')).toBe('part-c--private-app-one-portal');
    expect(slug('2. Configure')).toBe('2-configure');
  });

  for (const page of pages) {
    const text = readFileSync(page, 'utf8');
    const links = relativeLinks(text);
    if (links.length === 0) continue;
    it(`${page.slice(root.length + 1)}: every relative link's file and heading exist`, () => {
      const broken = links.filter(({ target, anchor }) => {
        const file = target === '' ? page : resolve(dirname(page), target);
        if (!existsSync(file)) return true;
        return anchor !== null && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(anchor);
      });
      expect(broken.map(({ target, anchor }) => `${target}${anchor ? `#${anchor}` : ''}`)).toEqual([]);
    });
  }
});
