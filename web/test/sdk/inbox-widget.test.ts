// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type InboxApi, mountInbox } from '../../src/sdk/inbox-widget.ts';
import type { InboxItem, InboxPage } from '../../src/sdk/sdk-types.ts';

const now = Date.parse('2026-11-25T10:00:00Z');
const item = (id: string, minutesAgo: number, extra: Partial<InboxItem> = {}): InboxItem => ({
  id,
  title: `Title ${id}`,
  body: `Body ${id}`,
  cta: null,
  createdAt: new Date(now - minutesAgo * 60_000).toISOString(),
  openedAt: null,
  clickedAt: null,
  expiresAt: null,
  ...extra,
});

function fakeApi(page: InboxPage) {
  const marks: [string, string, boolean | undefined][] = [];
  const api: InboxApi & { page: InboxPage } = {
    page,
    list: vi.fn(async () => structuredClone(api.page)),
    mark: vi.fn(async (id: string, event: string, keepalive?: boolean) => void marks.push([id, event, keepalive])),
  };
  return { api, marks };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
let handles: { destroy(): void }[] = [];
afterEach(() => {
  for (const handle of handles) handle.destroy();
  handles = [];
  document.body.replaceChildren();
});

async function mount(page: InboxPage, navigate = vi.fn()) {
  const target = document.createElement('div');
  document.body.append(target);
  const { api, marks } = fakeApi(page);
  const handle = mountInbox(target, api, { now: () => now, navigate });
  handles.push(handle);
  await settle();
  const root = target.querySelector('span')!.shadowRoot!;
  const bell = root.querySelector<HTMLButtonElement>('button.bell')!;
  const panel = root.querySelector<HTMLElement>('[role="dialog"]')!;
  return { handle, api, marks, root, bell, panel, navigate, items: () => [...root.querySelectorAll('li')] };
}

describe('the inbox bell', () => {
  it('shows the unread count on the bell, in its accessible name and on the badge, inside a shadow root', async () => {
    const { bell, root, panel } = await mount({ unread: 2, items: [item('a', 5), item('b', 90), item('c', 3_000, { openedAt: new Date(now).toISOString() })] });
    expect(bell.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    expect(root.querySelector('.badge')!.textContent).toBe('2');
    expect(bell.getAttribute('aria-expanded')).toBe('false');
    expect(panel.hidden).toBe(true);
    expect(bell.querySelector('svg path')).not.toBeNull();
  });

  it('opens a list (title, body, relative time) and marks what it shows as opened, once', async () => {
    const { bell, panel, marks, items, root, handle } = await mount({ unread: 2, items: [item('a', 5), item('b', 90), item('c', 3_000, { openedAt: new Date(now).toISOString() })] });
    bell.click();
    await settle();
    expect(panel.hidden).toBe(false);
    expect(bell.getAttribute('aria-expanded')).toBe('true');
    expect(root.activeElement).toBe(panel);
    expect(root.querySelector('[role="list"]')).not.toBeNull();
    expect(items().map((li) => [li.querySelector('.title')!.textContent, li.querySelector('.body')!.textContent, li.querySelector('time')!.textContent])).toEqual([
      ['Title a', 'Body a', '5 minutes ago'],
      ['Title b', 'Body b', '1 hour ago'],
      ['Title c', 'Body c', '2 days ago'],
    ]);
    expect(marks).toEqual([
      ['a', 'opened', undefined],
      ['b', 'opened', undefined],
    ]);
    expect(bell.getAttribute('aria-label')).toBe('Notifications');
    expect(root.querySelector<HTMLElement>('.badge')!.hidden).toBe(true);
    // Still marked as new while the list is open; a poll that races the marks does not send them again.
    expect(items().map((li) => li.classList.contains('new'))).toEqual([true, true, false]);
    await handle.refresh();
    expect(marks).toHaveLength(2);
  });

  it('closes on Escape and gives focus back to the bell; a click outside closes too', async () => {
    const { bell, panel, root } = await mount({ unread: 0, items: [item('a', 5)] });
    bell.click();
    await settle();
    panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    expect(panel.hidden).toBe(true);
    expect(root.activeElement).toBe(bell);
    bell.click();
    await settle();
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(panel.hidden).toBe(true);
  });

  it('records a CTA click (kept alive through the navigation), then follows the link', async () => {
    const { bell, marks, items, navigate } = await mount({ unread: 1, items: [item('a', 5, { cta: { label: 'See offers', url: 'https://shop.example/offers' } })] });
    bell.click();
    await settle();
    const cta = items()[0]!.querySelector<HTMLAnchorElement>('a.cta')!;
    expect(cta.textContent).toBe('See offers');
    expect(cta.getAttribute('href')).toBe('https://shop.example/offers');
    cta.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    await settle();
    await settle();
    expect(marks).toContainEqual(['a', 'clicked', true]);
    expect(navigate).toHaveBeenCalledWith('https://shop.example/offers');
  });

  it('dismisses an item with its × button and moves focus to the next one', async () => {
    const { bell, marks, items, root } = await mount({ unread: 0, items: [item('a', 5), item('b', 6)] });
    bell.click();
    await settle();
    const dismiss = items()[0]!.querySelector<HTMLButtonElement>('button.dismiss')!;
    expect(dismiss.getAttribute('aria-label')).toBe('Dismiss: Title a');
    dismiss.click();
    await settle();
    expect(items().map((li) => li.getAttribute('data-id'))).toEqual(['b']);
    expect(marks).toContainEqual(['a', 'dismissed', undefined]);
    expect(root.activeElement).toBe(items()[0]!.querySelector('button.dismiss'));
  });

  it('prints hostile text as text, and offers no link that is not http(s)', async () => {
    const hostile = item('x', 1, { title: '<img src=x onerror=alert(1)>', body: '<b>bold</b>', cta: { label: 'Win', url: 'javascript:alert(1)' } });
    const { bell, items } = await mount({ unread: 1, items: [hostile] });
    bell.click();
    await settle();
    const li = items()[0]!;
    expect(li.querySelector('img')).toBeNull();
    expect(li.querySelector('.title')!.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(li.querySelector('b')).toBeNull();
    expect(li.querySelector('a')).toBeNull();
  });

  it('hides expired messages, says when the inbox is empty, and when it could not be loaded', async () => {
    const { bell, items, root, api, handle } = await mount({ unread: 0, items: [item('old', 5, { expiresAt: new Date(now - 1_000).toISOString() })] });
    bell.click();
    await settle();
    expect(items()).toHaveLength(0);
    expect(root.querySelector('.note')!.textContent).toMatch(/all caught up/);
    const { api: failing } = fakeApi({ unread: 0, items: [] });
    failing.list = async () => {
      throw new Error('offline');
    };
    const target = document.createElement('div');
    document.body.append(target);
    handles.push(mountInbox(target, failing, { now: () => now }));
    await settle();
    expect(target.querySelector('span')!.shadowRoot!.querySelector('.note')!.textContent).toMatch(/could not be loaded/);
    expect(api.list).toHaveBeenCalled();
    handle.close();
  });
});
