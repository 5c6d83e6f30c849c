import { describe, expect, it } from 'vitest';
import { anchorLinks, authorLinks, renderContent, rewriteLinks } from '@waymark/shared';

/** L8: click tracking may wrap only the links the author wrote; a link from customer data is never one of them. */

const scope = { customer: { name: '<a href="https://evil.example/win">win</a>', site: 'https://evil.example/' }, event: { id: 'A&B 7', path: 'x/y' } };
const linksOf = (html: string) => {
  const result = renderContent('email', { email: { subject: 'S', html } }, scope);
  if (!result.ok) throw new Error(result.error);
  return result.content.links;
};

describe('tracked links', () => {
  it('L8 links written out and links whose literal start fixes the host are the author links, in document order', () => {
    const html =
      '<a href="https://shop.example/help">a</a> <a href=\'https://shop.example/cart?id={{ event.id }}&amp;src=mail\'>b</a> <a href="https://shop.example/{{ event.path }}">c</a> <a href="mailto:x@y.example">d</a> <a href="https://shop.example/help">e</a>';
    expect(linksOf(html)).toEqual(['https://shop.example/help', 'https://shop.example/cart?id=A%26B%207&src=mail', 'https://shop.example/x%2Fy', 'https://shop.example/help']);
  });

  it('L8 a link from customer data is not an author link, even printed with raw', () => {
    expect(linksOf('<p>{{ customer.name | raw }}</p><a href="https://shop.example/">ok</a>')).toEqual(['https://shop.example/']);
    expect(linksOf('<p>{{ customer.name }}</p>')).toEqual([]);
    // A literal start without a complete host does not fix where the link goes.
    expect(linksOf('<a href="{{ customer.site | raw }}win">x</a><a href="https://{{ customer.site | raw }}">y</a><a href="https://shop.example{{ event.path }}">z</a>')).toEqual([]);
  });

  it('L8 only author links are rewritten; anchors and entities are read the same way in the source and the rendered HTML', () => {
    const html = '<a title="href=\'https://x.example/\'" href="https://a.example/?q=1&amp;r=2">a</a><a href=https://bare.example/>b</a>';
    expect(anchorLinks(html)).toEqual(['https://a.example/?q=1&r=2']);
    expect(authorLinks(html, html)).toEqual(['https://a.example/?q=1&r=2']);
    expect(rewriteLinks(html, (href) => (href.startsWith('https://a.example/') ? 'https://t.example/0' : null))).toBe(
      '<a title="href=\'https://x.example/\'" href="https://t.example/0">a</a><a href=https://bare.example/>b</a>',
    );
  });
});
