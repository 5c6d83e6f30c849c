import { describe, expect, it } from 'vitest';
import { renderContent, renderTemplate, storableText } from '@waymark/shared';

/** L7: whatever a template renders can be stored by PostgreSQL: no NUL, no lone surrogate. */

describe('storable output', () => {
  it('L7 a lone surrogate becomes U+FFFD and NUL is removed, in every context', () => {
    expect(renderTemplate('{{ name | split: "" | first }}', { name: '😀Ann' })).toEqual({ ok: true, value: '\uFFFD' });
    expect(renderTemplate('a{{ nul }}b', { nul: 'x\0y' })).toEqual({ ok: true, value: 'axyb' });
    for (const context of ['text', 'line', 'html', 'url'] as const) {
      const result = renderTemplate('{{ bad }}|{{ bad | raw }}', { bad: '\uD800\0' }, context);
      expect(result.ok && result.value.isWellFormed() && !result.value.includes('\0')).toBe(true);
    }
    expect(renderTemplate('https://x.example/?q={{ bad }}', { bad: '\uDC00' }, 'url')).toEqual({ ok: true, value: 'https://x.example/?q=%EF%BF%BD' });
    expect(renderTemplate('Hi\0 there', {})).toEqual({ ok: true, value: 'Hi there' });
  });

  it('L7 a webhook body is storable after parsing too: escapes such as \\u0000 and \\ud800 cannot bring them back', () => {
    const content = { webhook: { method: 'POST' as const, url: 'https://h.example', body: '{"a": "{{ bad }}", "b": {{ bad }}, "c": {{ list | json }}, "\\u0000k\\ud800": "\\u0000"}' } };
    const result = renderContent('webhook', content, { bad: '\uD800x\0', list: ['\uDBFF', '\0'] });
    expect(result).toEqual({ ok: true, content: { method: 'POST', url: 'https://h.example', body: { a: '\uFFFDx', b: '\uFFFDx', c: ['\uFFFD', ''], 'k\uFFFD': '' } } });
  });

  it('L7 well-formed text comes back unchanged', () => {
    const text = 'Zoë 😀 ünïcödé — \u2028 \t\r\n';
    expect(storableText(text)).toBe(text);
    expect(renderTemplate('{{ t }}', { t: text })).toEqual({ ok: true, value: text });
  });
});
