import { describe, expect, it } from 'vitest';
import { renderTemplate, templateLimits } from '@waymark/shared';
import { email, enter, event, linear, messages, stepAt, webhook } from '../engine/journeys.ts';

/** L2: a render is stopped by counting its work (loop iterations, output, memory), never by a clock. */

const loops = (depth: number, size: number, body = 'x') => '{% for i in (1..N) %}'.replaceAll('N', String(size)).repeat(depth) + body + '{% endfor %}'.repeat(depth);
const bomb = loops(4, 60);
const error = (source: string, scope: object = {}) => {
  const result = renderTemplate(source, scope);
  return result.ok ? null : result.error;
};

describe('bounded work', () => {
  it('L2 nested loops count together: the 60⁴ loop bomb stops at 5,000 iterations, in the same place every time', () => {
    expect(templateLimits.loopIterations).toBe(5_000);
    expect(error(bomb)).toBe('too expensive: more than 5,000 loop iterations');
    expect(renderTemplate(loops(2, 70), {})).toEqual({ ok: true, value: 'x'.repeat(70 * 70) }); // 4,900 + 70 iterations
    expect(error(loops(2, 71))).toBe('too expensive: more than 5,000 loop iterations'); // 5,041 + 71
  });

  it('L2 tablerow iterations and the items list filters go through count as loop iterations', () => {
    expect(error('{% tablerow i in (1..5001) %}{% endtablerow %}')).toBe('too expensive: more than 5,000 loop iterations');
    const items = Array.from({ length: 3_000 }, (_, i) => ({ price: i }));
    expect(renderTemplate('{{ items | where_exp: "i", "i.price > 10" | size }}', { items })).toEqual({ ok: true, value: '2989' });
    expect(error('{{ items | where_exp: "i", "i.price > 10" | map: "price" | size }}', { items })).toBe('too expensive: more than 5,000 loop iterations');
    expect(error('{% for i in (1..20) %}{{ items | sort: "price" | size }}{% endfor %}', { items })).toBe('too expensive: more than 5,000 loop iterations');
  });

  it('L2 output is limited while it is written, captures included, so a doubling capture stops early', () => {
    const doubling = '{% assign x = "ab" %}{% for i in (1..40) %}{% capture x %}{{ x }}{{ x }}{% endcapture %}{% endfor %}{{ x | size }}';
    expect(error(doubling)).toBe('too expensive: more than 262,144 characters of output');
    expect(error('{{ big }}', { big: 'x'.repeat(templateLimits.outputCharacters + 1) })).toBe('too expensive: more than 262,144 characters of output');
    expect(renderTemplate('{{ big }}', { big: 'x'.repeat(templateLimits.outputCharacters) })).toMatchObject({ ok: true });
  });

  it('L2 huge ranges and splits of huge strings are refused before they are built (memory limit)', () => {
    const memory = 'too expensive: more than 1,000,000 characters or list items created (memory limit)';
    expect(error('{% for i in (1..100000000) %}x{% endfor %}')).toBe(memory);
    expect(error('{% assign r = (1..100000000) %}{{ r | size }}')).toBe(memory);
    expect(error('{{ s | split: "" | size }}', { s: 'x'.repeat(2_000_000) })).toBe(memory);
    expect(error('{% assign s = "xxxxxxxxxx" %}{% for i in (1..20) %}{% assign s = s | append: s %}{% endfor %}')).toBe(memory);
    expect(renderTemplate('{{ s | split: "" | size }}', { s: 'x'.repeat(1_000) })).toEqual({ ok: true, value: '1000' });
  });

  it('L2 M6 a send whose template is too expensive records skipped:template-error and the run goes on', () => {
    const now = '2026-11-25T12:00:00Z';
    const machine = linear([
      ['m', 'send', email('Loop', { content: { email: { subject: 'Loop', html: bomb } } })],
      ['after', 'send', webhook()],
    ]);
    const r = enter(machine, now, {}, event('start', now));
    expect(stepAt(r.effects, 'm')).toMatchObject({ reason: 'skipped:template-error', detail: expect.stringContaining('too expensive') });
    expect(stepAt(r.effects, 'm').detail).toBe('content.email.html: too expensive: more than 5,000 loop iterations');
    expect(messages(r.effects).map((m) => m.nodeId)).toEqual(['after']);
  });
});
