// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWaymark } from '../../src/sdk/create-waymark.ts';

/** What the script sent; Waymark's side is runtime/test/e2e/sdk.e2e.test.ts. */
let calls: { url: string; init: RequestInit }[] = [];
beforeEach(() => {
  localStorage.clear();
  calls = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      if (url.includes('/v1/inbox?')) return new Response(JSON.stringify({ unread: 0, items: [] }), { status: 200 });
      if (url.endsWith('/v1/track') && JSON.parse(String(init.body)).event === 'Bad')
        return new Response(JSON.stringify({ error: { code: 'invalid-call', message: 'The call is invalid at "event".' } }), { status: 400 });
      return new Response(JSON.stringify({ success: true }), { status: 200 });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('window.Waymark', () => {
  it('refuses calls before init, and an init without a usable write key or host, in words', async () => {
    const waymark = createWaymark('https://waymark.example');
    await expect(waymark.track('Visited')).rejects.toThrow('call Waymark.init({ writeKey }) first');
    expect(() => waymark.init({ writeKey: '' })).toThrow('Waymark.init needs { writeKey }');
    expect(() => waymark.init({ writeKey: 'wk_1', host: 'javascript:alert(1)' })).toThrow('host must be');
    expect(calls).toHaveLength(0);
  });

  it('identifies with Basic auth (the write key as user name), the ids, traits and a Segment context, to the host the script came from', async () => {
    const waymark = createWaymark('https://waymark.example');
    waymark.init({ writeKey: 'wk_public' });
    const { anonymousId } = waymark.user();
    await waymark.identify('ada', { plan: 'pro' });
    const [call] = calls;
    expect(call!.url).toBe('https://waymark.example/v1/identify');
    expect(call!.init.credentials).toBe('omit');
    expect((call!.init.headers as Record<string, string>).authorization).toBe(`Basic ${btoa('wk_public:')}`);
    const body = JSON.parse(String(call!.init.body));
    expect(body).toMatchObject({ userId: 'ada', anonymousId, traits: { plan: 'pro' }, context: { library: { name: 'waymark.js' } } });
    expect(body.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof body.context.timezone).toBe('string');
    // A new page's script knows the visitor too.
    expect(createWaymark().user()).toEqual({ userId: 'ada', anonymousId });
  });

  it('surfaces Waymark’s refusal with its status, code and message', async () => {
    const waymark = createWaymark('https://waymark.example');
    waymark.init({ writeKey: 'wk_public', host: 'https://other.example/' });
    const error = await waymark.track('Bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(waymark.WaymarkError);
    expect(error).toMatchObject({ status: 400, code: 'invalid-call', message: 'The call is invalid at "event".' });
    expect(calls[0]!.url).toBe('https://other.example/v1/track');
  });

  it('asks for the inbox with both ids, so messages sent before identify are still found', async () => {
    const waymark = createWaymark('https://waymark.example');
    waymark.init({ writeKey: 'wk_public' });
    await waymark.identify('ada');
    const target = document.createElement('div');
    document.body.append(target);
    const inbox = waymark.inbox(target);
    await inbox.refresh();
    const url = new URL(calls.find((c) => c.url.includes('/v1/inbox'))!.url);
    expect(url.searchParams.get('userId')).toBe('ada');
    expect(url.searchParams.get('anonymousId')).toBe(waymark.user().anonymousId);
    inbox.destroy();
    expect(() => waymark.inbox('#nowhere')).toThrow('no element matches #nowhere');
  });
});
