import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from './support/test-runtime.ts';

describe('channels: what each sends through, and "send test"', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  const received: { body: string; signature: string | undefined }[] = [];
  const hooks = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ body, signature: req.headers['waymark-message-id'] as string | undefined });
      res.statusCode = req.url === '/gone' ? 410 : 200;
      res.end();
    });
  });
  let hookUrl: string;
  beforeAll(async () => {
    rt = await startTestRuntime();
    owner = await rt.signIn();
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await rt?.stop();
    await new Promise((resolve) => hooks.close(resolve));
  });
  const ws = () => `/api/workspaces/${rt.workspaceId}/channels`;

  it('lists the channels: the sandbox ones, the in-app inbox and the real webhook', async () => {
    expect((await owner('GET', ws())).body).toEqual(
      expect.arrayContaining([
        { channel: 'email', provider: 'sandbox', kind: null },
        { channel: 'sms', provider: 'sandbox', kind: null },
        { channel: 'in-app', provider: 'inbox', kind: null },
        { channel: 'webhook', provider: 'webhook', kind: null },
      ]),
    );
  });

  it('a test webhook is really posted; a sandbox test is recorded and says so', async () => {
    const hook = await owner('POST', `${ws()}/webhook/test`, { content: { method: 'POST', url: `${hookUrl}/hook`, body: { hello: 'test' } } });
    expect(hook.status).toBe(200);
    expect(hook.body).toMatchObject({ ok: true, sandbox: false });
    expect(received.at(-1)).toEqual({ body: '{"hello":"test"}', signature: hook.body.id });
    const email = await owner('POST', `${ws()}/email/test`, { to: 'me@example.com', content: { subject: 'Test', html: '<p>Hi</p>' } });
    expect(email.body).toMatchObject({ ok: true, sandbox: true, providerId: expect.stringMatching(/^sandbox:test-/) });
  });

  it('a failing test says why (4xx from the endpoint: 422), an unknown channel is 404, a bad body is 400', async () => {
    const gone = await owner('POST', `${ws()}/webhook/test`, { content: { url: `${hookUrl}/gone` } });
    expect(gone.status).toBe(422);
    expect(gone.body.error).toMatchObject({ code: 'send-failed', message: 'The test webhook message was not sent: webhook answered 410 Gone.' });
    expect((await owner('POST', `${ws()}/fax/test`, { content: {} })).body.error).toMatchObject({ code: 'channel-not-found' });
    expect((await owner('POST', `${ws()}/email/test`, { to: 'x' })).body.error).toMatchObject({ code: 'invalid-request', details: { field: 'content' } });
  });
});
