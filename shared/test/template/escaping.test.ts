import { describe, expect, it } from 'vitest';
import { fieldContext, renderContent, renderTemplate, type TemplateContext } from '@waymark/shared';
import { customer, enter, event, linear, messages, setTraits, stepAt } from '../engine/journeys.ts';

/** L3–L6: every output is escaped for where it lands; the field's context comes from its channel and name. */

const winLink = '<a href=https://evil.example>win</a>';
const scope = {
  customer: { first_name: winLink, quote: `O"Brien's & co`, js: 'javascript:alert(1)', sneaky: ' \tjava\nscript:alert(1)', data: 'data:text/html,<script>x</script>' },
  event: { cartId: 'a b&c/d', url: 'https://shop.example/x?y=1&z=2', path: '/help', items: ['a', 'b'], total: 12.5, ok: true, none: null },
};
const render = (source: string, context: TemplateContext) => {
  const result = renderTemplate(source, scope, context);
  if (!result.ok) throw new Error(result.error);
  return result.value;
};
const html = (source: string) => render(source, 'html');

describe('escaping by context', () => {
  it('L3 HTML text and attribute values are HTML-escaped, so a trait cannot become a live link', () => {
    expect(html('<p>Hi {{ customer.first_name }}</p>')).toBe('<p>Hi &lt;a href=https://evil.example&gt;win&lt;/a&gt;</p>');
    expect(html('<img alt="{{ customer.quote }}" title=\'{{ customer.quote }}\'>')).toBe('<img alt="O&#34;Brien&#39;s &amp; co" title=\'O&#34;Brien&#39;s &amp; co\'>');
    expect(html('{% echo customer.first_name %}|{% liquid echo customer.quote %}|{% cycle customer.quote %}')).toBe(
      '&lt;a href=https://evil.example&gt;win&lt;/a&gt;|O&#34;Brien&#39;s &amp; co|O&#34;Brien&#39;s &amp; co',
    );
  });

  it('L3 outside quotes (a bare value, inside a tag) whitespace and = are escaped too, so no attribute can be added', () => {
    expect(html('<td class={{ customer.first_name }}>')).toBe('<td class=&lt;a&#32;href&#61;https://evil.example&gt;win&lt;/a&gt;>');
    expect(html('<div {{ event.cartId }}>')).toBe('<div a&#32;b&amp;c/d>');
  });

  it('L3 in a URL attribute, an output at the start must be a safe URL or becomes #', () => {
    expect(html('<a href="{{ event.url }}">x</a>')).toBe('<a href="https://shop.example/x?y=1&amp;z=2">x</a>');
    expect(html('<a href="{{ event.path }}">x</a><a href="#{{ event.cartId }}">y</a>')).toBe('<a href="/help">x</a><a href="#a%20b%26c%2Fd">y</a>');
    expect(html('<a href="{{ customer.js }}">x</a>')).toBe('<a href="#">x</a>');
    expect(html('<a href=" {{ customer.sneaky }}">x</a>')).toBe('<a href=" #">x</a>');
    expect(html('<img src={{ customer.data }}><form action=\'{{ customer.js }}\'><video poster="{{ customer.js }}">')).toBe('<img src=#><form action=\'#\'><video poster="#">');
    expect(html('<a href="mailto:{{ event.cartId }}">m</a><a href="tel:{{ customer.js }}">t</a>')).toBe('<a href="mailto:a%20b%26c%2Fd">m</a><a href="tel:javascript%3Aalert(1)">t</a>');
  });

  it('L3 an output after the start of a URL value is URL-encoded, then HTML-escaped', () => {
    expect(html('<a href="https://shop.example/cart?id={{ event.cartId }}&amp;n={{ customer.quote }}">x</a>')).toBe(
      '<a href="https://shop.example/cart?id=a%20b%26c%2Fd&amp;n=O%22Brien&#39;s%20%26%20co">x</a>',
    );
    // What counts is what was written before it: a second output, an echo, never a tag that printed nothing.
    expect(html('<a href="{{ event.path }}{{ customer.js }}">x</a>')).toBe('<a href="/helpjavascript%3Aalert(1)">x</a>');
    expect(html('<a href="{% liquid echo event.path %}{{ customer.js }}">x</a>')).toBe('<a href="/helpjavascript%3Aalert(1)">x</a>');
    expect(html('<a href="{% if event.ok %}{{ customer.js }}{% else %}{{ event.url }}{% endif %}">x</a>')).toBe('<a href="#">x</a>');
    expect(html('<a href="{% if event.none %}x{% endif %}{{ event.url }}">x</a>')).toBe('<a href="https://shop.example/x?y=1&amp;z=2">x</a>');
    expect(html('{% for i in event.items %}<a href="{{ event.url }}">{{ i }}</a>{% endfor %}')).toBe(
      '<a href="https://shop.example/x?y=1&amp;z=2">a</a><a href="https://shop.example/x?y=1&amp;z=2">b</a>',
    );
  });

  it('L3 the literal text of the template decides, not look-alikes in comments, scripts or other attributes', () => {
    expect(html('<!-- <a href=" -->{{ customer.js }}')).toBe('<!-- <a href=" -->javascript:alert(1)');
    expect(html('<a title="href=" href="{{ customer.js }}">')).toBe('<a title="href=" href="#">');
    expect(html('<script>if (a<b) x = "</script><a href="{{ customer.js }}">')).toBe('<script>if (a<b) x = "</script><a href="#">');
    expect(html('{% comment %}<a href="{% endcomment %}{{ customer.js }}')).toBe('javascript:alert(1)');
  });

  it('L3 inside a style only a plain CSS value may stand (a colour, a size); nothing may stand inside a script, an event attribute or srcdoc', () => {
    const styled = (value: string) => renderTemplate('<p style="color: {{ v }}">x</p><style>p { color: {{ v }} }</style>', { v: value }, 'html');
    expect(styled('#1a2b3c')).toEqual({ ok: true, value: '<p style="color: #1a2b3c">x</p><style>p { color: #1a2b3c }</style>' });
    expect(styled('rgb(10, 20, 30)')).toMatchObject({ ok: true });
    for (const attack of ['red;background:url(https://tracker.example/p)', 'red" onmouseover="x', 'url(//t.example/p)', 'expression(alert(1))x/']) {
      expect(styled(attack)).toEqual({ ok: false, error: 'a value placed inside a style may hold only letters, digits, spaces and # % . , - ( ); this one holds more' });
    }
    const refusal = 'a value cannot be placed inside a script, an event attribute (onclick…) or srcdoc; use the raw filter only for code you trust';
    for (const source of [
      '<script>var n = "{{ customer.quote }}";</script>',
      '<a onclick="go({{ event.total }})">x</a>',
      '<iframe srcdoc="{{ customer.first_name }}"></iframe>',
      '<b ONMOUSEOVER={{ event.total }}>x</b>',
    ]) {
      expect(renderTemplate(source, scope, 'html')).toEqual({ ok: false, error: refusal });
    }
    expect(html('<script>var n = {{ event.total | raw }};</script>')).toBe('<script>var n = 12.5;</script>');
  });

  it('L4 URL fields keep an output at the start but neutralise script URLs, and encode one after the start', () => {
    expect(render('{{ event.url }}', 'url')).toBe('https://shop.example/x?y=1&z=2');
    expect(render('acme://cart/{{ event.cartId }}', 'url')).toBe('acme://cart/a%20b%26c%2Fd');
    expect(render('{{ customer.js }}', 'url')).toBe('#');
    expect(render('{{ customer.data }}', 'url')).toBe('#');
    expect(render('{{ customer.sneaky }}', 'url')).toBe('#');
    expect(render('https://hooks.example/{{ customer.js }}', 'url')).toBe('https://hooks.example/javascript%3Aalert(1)');
  });

  it('L5 webhook bodies: escaped inside strings, JSON values outside, so customer data cannot add fields', () => {
    const injection = { customer: { name: 'x", "admin": true, "y": "' } };
    const body = (source: string, s: object = scope) => renderContent('webhook', { webhook: { method: 'POST', url: 'https://h.example', body: source } }, s);
    expect(body('{ "name": "{{ customer.name }}" }', injection)).toEqual({ ok: true, content: { method: 'POST', url: 'https://h.example', body: { name: 'x", "admin": true, "y": "' } } });
    expect(body('{ "name": {{ customer.name }} }', injection)).toMatchObject({ ok: true, content: { body: { name: 'x", "admin": true, "y": "' } } });
    expect(body('{"t": {{ event.total }}, "ok": {{ event.ok }}, "none": {{ event.none }}, "items": {{ event.items }}, "n": {{ event.items | size }}, "c": "{{ event.cartId }}\\n"}')).toMatchObject({
      ok: true,
      content: { body: { t: 12.5, ok: true, none: null, items: ['a', 'b'], n: 2, c: 'a b&c/d\n' } },
    });
    expect(body('{"q": "{{ customer.quote }}", "ctl": "{{ tab }}"}', { ...scope, tab: '\t\u0001\\' })).toMatchObject({ ok: true, content: { body: { q: `O"Brien's & co`, ctl: '\t\u0001\\' } } });
    expect(body('{"items": {{ event.items | json }}, "raw": {{ event.total | raw }}}')).toMatchObject({ ok: true, content: { body: { items: ['a', 'b'], raw: 12.5 } } });
  });

  it('L6 plain text is printed as it is; header-like fields turn CR/LF into spaces; raw opts out of escaping', () => {
    expect(render('Hi {{ customer.first_name }}', 'text')).toBe(`Hi ${winLink}`);
    expect(renderTemplate('Re: {{ n }}', { n: 'x\r\nBcc: evil@example.com\nX' }, 'line')).toEqual({ ok: true, value: 'Re: x Bcc: evil@example.com X' });
    expect(html('<p>{{ customer.first_name | raw }}</p><a href="{{ customer.js | raw }}">')).toBe(`<p>${winLink}</p><a href="javascript:alert(1)">`);
  });

  it('L6 each field renders in its own context, plain text by default', () => {
    expect(['subject', 'preheader', 'fromName', 'html', 'text'].map((f) => fieldContext('email', f))).toEqual(['line', 'line', 'line', 'html', 'text']);
    expect(
      ['push.title', 'push.deepLink', 'push.imageUrl', 'sms.text', 'in-app.body', 'in-app.cta.label', 'in-app.cta.url'].map((p) =>
        fieldContext(p.split('.')[0] as 'push', p.split('.').slice(1).join('.')),
      ),
    ).toEqual(['text', 'url', 'url', 'text', 'text', 'text', 'url']);
    expect(['url', 'headers.X-Customer', 'body'].map((f) => fieldContext('webhook', f))).toEqual(['url', 'line', 'json']);
    expect(renderTemplate('{{ customer.first_name }}', scope)).toEqual({ ok: true, value: winLink });
  });

  it('L6 M1 a send escapes each field for where it lands', () => {
    const now = '2026-11-25T12:00:00Z';
    const data = {
      delivery: { mode: 'channel', channel: 'email' },
      content: { email: { subject: 'For {{ customer.first_name }}\n', html: '<p>{{ customer.first_name }}</p>', text: 'Hi {{ customer.first_name }}' } },
    };
    const r = enter(linear([['m', 'send', data]]), now, { customer: customer({ first_name: `${winLink}\r\nBcc: x` }) }, event('start', now));
    expect(messages(r.effects)[0]!.content).toEqual({
      subject: `For ${winLink} Bcc: x `,
      html: '<p>&lt;a href=https://evil.example&gt;win&lt;/a&gt;\r\nBcc: x</p>',
      text: `Hi ${winLink}\r\nBcc: x`,
      links: [],
    });
  });

  it('L6 S14 update-profile values are plain, unescaped text', () => {
    const now = '2026-11-25T12:00:00Z';
    const r = enter(
      linear([['up', 'update-profile', setTraits({ op: 'set', trait: 'greeting', value: 'Hi {{ customer.first_name }} & "co"' })]]),
      now,
      { customer: customer({ first_name: '<b>Ann</b>' }) },
      event('start', now),
    );
    expect(stepAt(r.effects, 'up').reason).toBe('profile-updated');
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'update-profile', set: { greeting: 'Hi <b>Ann</b> & "co"' } }));
  });
});
