// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ProviderView } from '@waymark/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderForm } from '../../src/pages/settings/ProviderForm.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const view: ProviderView = {
  id: 'p1',
  channel: 'email',
  kind: 'smtp',
  settings: { host: 'smtp.example.com', port: 587, tls: 'starttls', fromAddress: 'hello@acme.com' },
  secrets: { password: { set: true, last4: '1234' } },
  updatedAt: '2026-11-25T10:00:00.000Z',
};

/** The API as the form reaches it: records each request and answers with `answer`. */
function stubApi(answer: { status: number; body: unknown }) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ method: init.method!, url, body: init.body ? JSON.parse(String(init.body)) : undefined });
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    }),
  );
  return calls;
}

describe('ProviderForm', () => {
  it('shows a stored password as set with its last characters, and keeps it when left empty', async () => {
    const calls = stubApi({ status: 200, body: view });
    const saved = vi.fn();
    render(<ProviderForm kind="smtp" path="/api/workspaces/w/providers/email" view={view} onSaved={saved} onCancel={() => {}} />);
    const password = screen.getByLabelText('Password') as HTMLInputElement;
    expect(password.value).toBe('');
    expect(password.placeholder).toBe('Set · ends in 1234 — type to replace');
    fireEvent.change(screen.getByLabelText(/From name/), { target: { value: 'Acme' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(saved).toHaveBeenCalled());
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'PUT', url: '/api/workspaces/w/providers/email' });
    expect(calls[0]!.body).toEqual({ kind: 'smtp', settings: { host: 'smtp.example.com', port: 587, tls: 'starttls', fromName: 'Acme', fromAddress: 'hello@acme.com' } });
  });

  it('puts the API’s 400 under the field it names, and clears it when that field changes', async () => {
    stubApi({ status: 400, body: { error: { code: 'invalid-request', message: '"settings.port": Too big: expected number to be <=65535', details: { field: 'settings.port' } } } });
    render(<ProviderForm kind="smtp" path="/p" view={view} onSaved={() => {}} onCancel={() => {}} />);
    fireEvent.change(screen.getByLabelText('Port'), { target: { value: '70000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    const port = screen.getByLabelText('Port');
    await waitFor(() => expect(port.getAttribute('aria-invalid')).toBe('true'));
    const message = document.getElementById(port.getAttribute('aria-describedby')!)!;
    expect(message.textContent).toBe('Use a port number from 1 to 65,535 (usually 587 or 465).');
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.change(port, { target: { value: '587' } });
    expect(port.getAttribute('aria-invalid')).toBeNull();
  });

  it('says a refusal that names no field above the buttons, and sends a typed secret', async () => {
    const calls = stubApi({ status: 403, body: { error: { code: 'forbidden', message: 'Only owners connect providers.' } } });
    render(<ProviderForm kind="smtp" path="/p" view={null} onSaved={() => {}} onCancel={() => {}} />);
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'mail.acme.com' } });
    fireEvent.change(screen.getByLabelText('From address'), { target: { value: 'hi@acme.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'hunter2-hunter2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await screen.findByText('Only owners connect providers.');
    expect(calls[0]!.body).toMatchObject({ kind: 'smtp', settings: { host: 'mail.acme.com', port: 587, tls: 'starttls' }, secrets: { password: 'hunter2-hunter2' } });
  });

  it('moves the usual port with the security chosen, but not a port someone typed', () => {
    stubApi({ status: 200, body: view });
    render(<ProviderForm kind="smtp" path="/p" view={null} onSaved={() => {}} onCancel={() => {}} />);
    const port = screen.getByLabelText('Port') as HTMLInputElement;
    fireEvent.change(screen.getByLabelText('Security'), { target: { value: 'implicit' } });
    expect(port.value).toBe('465');
    fireEvent.change(port, { target: { value: '2525' } });
    fireEvent.change(screen.getByLabelText('Security'), { target: { value: 'starttls' } });
    expect(port.value).toBe('2525');
  });
});
