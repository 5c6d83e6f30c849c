// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeTypes, type CompileError } from '@waymark/shared';
import { Inspector } from '../../src/editor/inspector/Inspector.tsx';

afterEach(cleanup);

const wait = { id: 'w1', type: 'wait' as const, data: { wait: { kind: 'duration', duration: { amount: 0, unit: 'days' } } } };

describe('Inspector', () => {
  it('asks for a selection when no node is selected', () => {
    render(<Inspector node={null} problems={[]} onChange={() => {}} />);
    expect(screen.getByText(/Select a node/)).toBeTruthy();
  });

  it('shows the node title and id over a form of its data', () => {
    render(<Inspector node={wait} problems={[]} onChange={() => {}} />);
    expect(screen.getByRole('heading', { name: 'Wait' })).toBeTruthy();
    expect(screen.getByText('w1')).toBeTruthy();
    expect((screen.getByLabelText('Amount') as HTMLInputElement).value).toBe('0');
  });

  it('maps a CompileError with a field to that input, and lists field-less problems at the top', () => {
    const problems: CompileError[] = [
      { code: 'invalid-node-data', nodeId: 'w1', field: 'wait.duration.amount', message: 'Wait at least a minute' },
      { code: 'unreachable-node', nodeId: 'w1', message: 'No path from the trigger reaches "w1".' },
      { code: 'invalid-node-data', nodeId: 'other', field: 'wait.duration.unit', message: 'Not this node' },
    ];
    render(<Inspector node={wait} problems={problems} onChange={() => {}} />);
    const amount = screen.getByLabelText('Amount');
    expect(amount.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(amount.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Wait at least a minute');
    expect(screen.getByRole('list', { name: 'Problems with this node' }).textContent).toContain('No path from the trigger');
    expect(screen.queryByText('Not this node')).toBeNull();
    expect(screen.getByLabelText('Unit').getAttribute('aria-invalid')).toBeNull();
  });

  it('reports edits as the whole new data', () => {
    const onChange = vi.fn();
    render(<Inspector node={wait} problems={[]} onChange={onChange} />);
    fireEvent.change(screen.getByLabelText('Amount'), { target: { value: '5' } });
    expect(onChange).toHaveBeenCalledWith({ wait: { kind: 'duration', duration: { amount: 5, unit: 'days' } } });
  });

  it('renders a form for every node type, even from empty data', () => {
    for (const type of nodeTypes) {
      const { unmount } = render(<Inspector node={{ id: `n-${type}`, type, data: {} }} problems={[]} onChange={() => {}} />);
      expect(screen.getByRole('complementary', { name: 'Inspector' })).toBeTruthy();
      unmount();
    }
  });

  it('shows a send node template error on its field', () => {
    const send = {
      id: 's1',
      type: 'send' as const,
      data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Hi {{', html: '<p>x</p>' } } },
    };
    const problems: CompileError[] = [{ code: 'template-syntax', nodeId: 's1', field: 'content.email.subject', message: 'Liquid error in content.email.subject' }];
    render(<Inspector node={send} problems={problems} onChange={() => {}} />);
    expect(screen.getByLabelText('Subject').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('HTML body').tagName).toBe('TEXTAREA');
  });

  it('an email send names its topic, offered from the workspace topics; other channels have no topic field', () => {
    const catalog = { traits: [], events: {}, topics: [{ id: 'news', name: 'Product news' }] };
    const email = { id: 's2', type: 'send' as const, data: { delivery: { mode: 'channel', channel: 'email' }, content: { email: { subject: 'Hi', html: '<p>x</p>' } } } };
    const onChange = vi.fn();
    const { unmount } = render(<Inspector node={email} problems={[]} onChange={onChange} catalog={catalog} />);
    const topic = screen.getByLabelText('Email topic') as HTMLInputElement;
    const options = document.getElementById(topic.getAttribute('list') ?? '')?.querySelectorAll('option');
    expect([...(options ?? [])].map((o) => o.getAttribute('value'))).toEqual(['news']);
    fireEvent.change(topic, { target: { value: 'news' } });
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ topic: 'news' }));
    unmount();
    const sms = { id: 's3', type: 'send' as const, data: { delivery: { mode: 'channel', channel: 'sms' }, content: { sms: { text: 'Hi' } } } };
    render(<Inspector node={sms} problems={[]} onChange={() => {}} catalog={catalog} />);
    expect(screen.queryByLabelText('Email topic')).toBeNull();
  });
});
