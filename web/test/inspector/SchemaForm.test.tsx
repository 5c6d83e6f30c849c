// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConditionNodeData, SplitNodeData, WaitNodeData } from '@waymark/shared';
import { humanizeName } from '../../src/editor/inspector/humanize-name.ts';
import { nodeDataJsonSchema } from '../../src/editor/inspector/node-data-schema.ts';
import { parseValue, valueText } from '../../src/editor/inspector/ValueField.tsx';
import { FormHarness } from './form-harness.tsx';

afterEach(cleanup);

const waitSchema = nodeDataJsonSchema('wait');
const twoDays = { wait: { kind: 'duration', duration: { amount: 2, unit: 'days' } } };

function renderForm(schema: Parameters<typeof FormHarness>[0]['schema'], initial: unknown, extra: { errors?: { path: string; message: string }[]; readOnly?: boolean } = {}) {
  const values: unknown[] = [];
  render(<FormHarness schema={schema} initial={initial} onValue={(v) => values.push(v)} {...extra} />);
  return { last: () => values.at(-1) };
}

describe('SchemaForm', () => {
  it('renders labelled fields for the wait node data schema', () => {
    renderForm(waitSchema, twoDays);
    expect(screen.getByRole('group', { name: 'Wait' })).toBeTruthy();
    expect((screen.getByLabelText('Wait for') as HTMLSelectElement).value).toBe('duration');
    expect((screen.getByLabelText('Amount') as HTMLInputElement).value).toBe('2');
    expect((screen.getByLabelText('Unit') as HTMLSelectElement).value).toBe('days');
    expect((screen.getByLabelText('Amount') as HTMLInputElement).max).toBe('10000');
  });

  it('produces data that passes the zod schema', () => {
    const form = renderForm(waitSchema, twoDays);
    fireEvent.change(screen.getByLabelText('Amount'), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('Unit'), { target: { value: 'weeks' } });
    expect(form.last()).toEqual({ wait: { kind: 'duration', duration: { amount: 3, unit: 'weeks' } } });
    expect(WaitNodeData.safeParse(form.last()).success).toBe(true);
  });

  it('switches a discriminated union variant, filling required defaults and keeping shared fields', () => {
    const form = renderForm(waitSchema, twoDays);
    fireEvent.change(screen.getByLabelText('Wait for'), { target: { value: 'time-of-day' } });
    expect(form.last()).toEqual({ wait: { kind: 'time-of-day', time: '' } });
    expect(screen.queryByLabelText('Amount')).toBeNull();

    fireEvent.change(screen.getByLabelText('Time of day'), { target: { value: '09:30' } });
    fireEvent.click(screen.getByLabelText('Mon'));
    fireEvent.change(screen.getByLabelText('Fallback time zone'), { target: { value: 'Europe/Paris' } });
    expect(form.last()).toEqual({ wait: { kind: 'time-of-day', time: '09:30', weekdays: ['mon'], fallbackTimeZone: 'Europe/Paris' } });
    expect(WaitNodeData.safeParse(form.last()).success).toBe(true);

    // `date` also has `time` and `fallbackTimeZone`; `weekdays` is not one of its fields.
    fireEvent.change(screen.getByLabelText('Wait for'), { target: { value: 'date' } });
    expect(form.last()).toEqual({ wait: { kind: 'date', source: 'trait', path: '', time: '09:30', fallbackTimeZone: 'Europe/Paris' } });
    expect((screen.getByLabelText('If missing') as HTMLSelectElement).value).toBe('exit');
  });

  it('removes an optional field when it is emptied', () => {
    const form = renderForm(waitSchema, { wait: { kind: 'time-of-day', time: '09:30', weekdays: ['mon'], fallbackTimeZone: 'UTC' } });
    fireEvent.change(screen.getByLabelText('Fallback time zone'), { target: { value: '' } });
    fireEvent.click(screen.getByLabelText('Mon'));
    expect(form.last()).toEqual({ wait: { kind: 'time-of-day', time: '09:30' } });
  });

  it('adds and removes items of an array of objects', () => {
    const arms = [
      { id: 'a', weight: 50 },
      { id: 'b', weight: 50 },
    ];
    const form = renderForm(nodeDataJsonSchema('split'), { arms });
    fireEvent.click(screen.getByRole('button', { name: 'Add arm' }));
    expect(form.last()).toEqual({ arms: [...arms, { id: '', weight: 0 }] });
    const third = screen.getByRole('group', { name: 'Arm 3' });
    fireEvent.change(within(third).getByLabelText('ID'), { target: { value: 'c' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove arm 1' }));
    expect(form.last()).toEqual({
      arms: [
        { id: 'b', weight: 50 },
        { id: 'c', weight: 0 },
      ],
    });
    expect(SplitNodeData.safeParse(form.last()).success).toBe(true);
    expect(screen.queryByRole('group', { name: 'Arm 3' })).toBeNull();
  });

  it('shows an error inline under its field with aria-invalid and aria-describedby', () => {
    renderForm(waitSchema, twoDays, { errors: [{ path: 'wait.duration.amount', message: 'Too long a wait' }] });
    const amount = screen.getByLabelText('Amount');
    expect(amount.getAttribute('aria-invalid')).toBe('true');
    const described = amount.getAttribute('aria-describedby')?.split(' ') ?? [];
    expect(described.map((id) => document.getElementById(id)?.textContent)).toContain('Too long a wait');
    expect(screen.getByLabelText('Unit').getAttribute('aria-invalid')).toBeNull();
  });

  it('lists an error about a field it does not render on the nearest group', () => {
    renderForm(waitSchema, twoDays, { errors: [{ path: 'next', message: 'Connect the next branch' }] });
    expect(screen.getByText('Connect the next branch')).toBeTruthy();
  });

  it('adds an optional object with its required defaults, and removes it again', () => {
    const form = renderForm(waitSchema, { wait: { kind: 'date', source: 'trait', path: 'trial_ends_at' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add offset' }));
    expect(form.last()).toEqual({ wait: { kind: 'date', source: 'trait', path: 'trial_ends_at', offset: { amount: 0, unit: 'minutes', direction: 'before' } } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove offset' }));
    expect(form.last()).toEqual({ wait: { kind: 'date', source: 'trait', path: 'trial_ends_at' } });
  });

  it('falls back to a JSON textarea that parses on blur and shows a parse error inline', () => {
    const schema = { type: 'object', properties: { headers: { type: 'object', additionalProperties: { type: 'string' } } } };
    const form = renderForm(schema, {});
    const box = screen.getByLabelText('Headers');
    fireEvent.change(box, { target: { value: '{"x": ' } });
    fireEvent.blur(box);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Not valid JSON/)).toBeTruthy();
    fireEvent.change(box, { target: { value: '{"x": "1"}' } });
    fireEvent.blur(box);
    expect(form.last()).toEqual({ headers: { x: '1' } });
    expect(screen.queryByText(/Not valid JSON/)).toBeNull();
  });

  it('uses a textarea for message bodies and shows descriptions as help text', () => {
    const schema = { type: 'object', properties: { body: { type: 'string', description: 'What the customer reads' } }, required: ['body'] };
    renderForm(schema, { body: 'Hi' });
    const body = screen.getByLabelText('Body');
    expect(body.tagName).toBe('TEXTAREA');
    expect(document.getElementById(body.getAttribute('aria-describedby') ?? '')?.textContent).toBe('What the customer reads');
  });

  it('makes every control read-only and offers no add or remove buttons', () => {
    renderForm(nodeDataJsonSchema('split'), { arms: [{ id: 'a', weight: 100 }] }, { readOnly: true });
    expect((screen.getByLabelText('Weight') as HTMLInputElement).readOnly).toBe(true);
    expect((screen.getByLabelText('Holdout') as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: /Add|Remove/ })).toBeNull();
  });

  it('edits recursive rule groups, hiding fixed values but keeping them in the data', () => {
    const form = renderForm(nodeDataJsonSchema('condition'), { rules: { match: 'all', rules: [] } });
    expect(screen.queryByLabelText('Based on')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    expect(form.last()).toEqual({ rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: '', operator: 'equals' }] } });
    // A rule's kind in a marketer's words (the schema's `label` and `choice`), its value the kind itself.
    const kind = screen.getByLabelText('Based on') as HTMLSelectElement;
    expect([...kind.options].map((option) => option.text)).toEqual([
      'A trait',
      'A property of the trigger event',
      'How often an event happened',
      'Reachability on a channel',
      'A message of this journey',
      'Segment membership',
      'A group of rules',
    ]);
    fireEvent.change(kind, { target: { value: 'group' } });
    const inner = screen.getByRole('group', { name: 'Rule 1' });
    fireEvent.click(within(inner).getByRole('button', { name: 'Add rule' }));
    fireEvent.change(within(inner).getAllByLabelText('Based on')[1]!, { target: { value: 'channel' } });
    expect(form.last()).toEqual({
      rules: { kind: 'group', match: 'all', rules: [{ kind: 'group', match: 'all', rules: [{ kind: 'channel', channel: 'email', state: 'reachable-and-consented' }] }] },
    });
    expect(ConditionNodeData.safeParse(form.last()).success).toBe(true);
  });

  it("takes a rule's value as a marketer writes it: words are text, numbers numbers, lists as JSON", () => {
    const form = renderForm(nodeDataJsonSchema('condition'), { rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } });
    // The trait rule's path reads "Trait"; its value shows as written, not as JSON.
    expect((screen.getByLabelText('Trait') as HTMLInputElement).value).toBe('plan');
    const box = screen.getByLabelText('Value') as HTMLInputElement;
    expect(box.tagName).toBe('INPUT');
    expect(box.value).toBe('pro');
    expect(screen.getByRole('button', { name: 'Add value from a trait or the trigger' })).toBeTruthy();
    const valueAfter = (text: string) => {
      fireEvent.change(box, { target: { value: text } });
      fireEvent.blur(box);
      return (form.last() as { rules: { rules: { value?: unknown }[] } } | undefined)?.rules.rules[0]?.value;
    };
    expect(valueAfter('team')).toBe('team');
    expect(valueAfter('42')).toBe(42);
    expect(valueAfter('true')).toBe(true);
    expect(valueAfter('10% off')).toBe('10% off');
    // Numbers JavaScript cannot hold as typed stay text.
    expect(valueAfter('12345678901234567890')).toBe('12345678901234567890');
    expect(valueAfter('1e400')).toBe('1e400');
    expect(valueAfter('["gold", "silver"]')).toEqual(['gold', 'silver']);
    expect(valueAfter('"42"')).toBe('42');
    // Text that would read back as a number keeps its quotes when shown.
    expect(box.value).toBe('"42"');
    expect(valueAfter('')).toBeUndefined();
    fireEvent.change(box, { target: { value: '["gold", ' } });
    fireEvent.blur(box);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(ConditionNodeData.safeParse(form.last()).success).toBe(true);
    // "Plan exists" compares with nothing: no value is asked for, and the one it had is dropped.
    valueAfter('gold');
    fireEvent.change(screen.getByLabelText('Operator'), { target: { value: 'exists' } });
    expect(screen.queryByLabelText('Value')).toBeNull();
    expect(form.last()).toEqual({ rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'exists' }] } });
    expect(screen.queryByRole('button', { name: /value from/i })).toBeNull();
    fireEvent.change(screen.getByLabelText('Operator'), { target: { value: 'not-equals' } });
    expect(screen.getByLabelText('Value')).toBeTruthy();
  });

  it('shows errors at a field it hides on the group, so none is lost', () => {
    renderForm(
      nodeDataJsonSchema('condition'),
      { rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'exists' }] } },
      { errors: [{ path: 'rules.rules.0.valueFrom', message: 'Compare with a trait here' }] },
    );
    expect(screen.queryByLabelText('Value')).toBeNull();
    expect(screen.getByText('Compare with a trait here')).toBeTruthy();
  });

  it('takes times in words where the rule compares times: "3 days ago", "7 days"', () => {
    const form = renderForm(nodeDataJsonSchema('condition'), {
      rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'signed_up_at', operator: 'before', value: { amount: 30, unit: 'days', direction: 'ago' } }] },
    });
    const box = screen.getByLabelText('Value') as HTMLInputElement;
    expect(box.value).toBe('30 days ago');
    const valueAfter = (text: string) => {
      fireEvent.change(box, { target: { value: text } });
      fireEvent.blur(box);
      return (form.last() as { rules: { rules: { value?: unknown }[] } } | undefined)?.rules.rules[0]?.value;
    };
    expect(valueAfter('2 weeks from now')).toEqual({ amount: 2, unit: 'weeks', direction: 'from-now' });
    expect(valueAfter('1 Day ago')).toEqual({ amount: 1, unit: 'days', direction: 'ago' });
    expect(box.value).toBe('1 day ago');
    expect(valueAfter('2026-12-01')).toBe('2026-12-01');
    expect(ConditionNodeData.safeParse(form.last()).success).toBe(true);
    fireEvent.change(screen.getByLabelText('Operator'), { target: { value: 'within-last' } });
    expect(valueAfter('7 days')).toEqual({ amount: 7, unit: 'days' });
    expect(ConditionNodeData.safeParse(form.last()).success).toBe(true);
    // Where the rule compares text, the same words are text.
    fireEvent.change(screen.getByLabelText('Operator'), { target: { value: 'equals' } });
    expect(valueAfter('3 days ago')).toBe('3 days ago');
  });

  it('shows every value a rule can hold as text that reads back as the same value', () => {
    const values = [
      'pro',
      '42',
      'true',
      ' padded',
      '[x]',
      '"quoted"',
      '3 days ago',
      '7 days',
      42,
      -1.5,
      false,
      ['a', 1],
      { amount: 3, unit: 'days' },
      { amount: 1, unit: 'weeks', direction: 'from-now' },
    ];
    for (const times of [false, true]) for (const value of values) expect(parseValue(valueText(value, times), times)).toEqual(value);
    expect(valueText({ amount: 3, unit: 'days', direction: 'ago' }, true)).toBe('3 days ago');
    expect(valueText('3 days ago', true)).toBe('"3 days ago"');
    expect(valueText('pro')).toBe('pro');
    expect(valueText('a\nb')).toBe('"a\\nb"');
    expect(parseValue(valueText('a\nb'))).toBe('a\nb');
    expect(valueText(7)).toBe('7');
  });

  it('humanizes property names into labels', () => {
    expect(humanizeName('dayOfMonth')).toBe('Day of month');
    expect(humanizeName('imageUrl')).toBe('Image URL');
    expect(humanizeName('trigger-event')).toBe('Trigger event');
    expect(humanizeName('POST')).toBe('POST');
  });
});
