import { adoptStyles, bellPaths, closePaths, h, icon } from './dom.ts';
import { inboxStyles } from './inbox-styles.ts';
import { absoluteTime, relativeTime } from './relative-time.ts';
import type { InboxItem, InboxPage } from './sdk-types.ts';

/** What the widget needs from Waymark: the list, and engagement marks (`keepalive` for one sent while the page navigates). */
export interface InboxApi {
  list(): Promise<InboxPage>;
  mark(id: string, event: 'opened' | 'clicked' | 'dismissed', keepalive?: boolean): Promise<unknown>;
}

export interface InboxOptions {
  /** How often to look for new messages while the page is visible (default 30 s). */
  pollMs?: number;
  now?: () => number;
  /** Follows a CTA (default `location.assign`). */
  navigate?: (url: string) => void;
}

/** The handle `Waymark.inbox(...)` returns. */
export interface InboxHandle {
  /** Loads the list now (the widget also polls). */
  refresh(): Promise<void>;
  open(): Promise<void>;
  close(): void;
  /** Removes the bell and stops polling. */
  destroy(): void;
}

let instances = 0;

/**
 * A bell with the unread count, opening a list of the visitor's in-app messages. Lives in a shadow
 * root; opening the list marks what it shows as opened; a CTA records the click, then navigates.
 */
export function mountInbox(target: Element, api: InboxApi, options: InboxOptions = {}): InboxHandle {
  const now = options.now ?? Date.now;
  const navigate = options.navigate ?? ((url: string) => window.location.assign(url));
  const id = `waymark-inbox-${++instances}`;
  const host = h('span', { class: 'waymark-inbox' });
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, inboxStyles);

  const badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: '' });
  const bell = h('button', { type: 'button', class: 'bell', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': `${id}-panel` }, icon(bellPaths), badge);
  const count = h('span', { class: 'count' });
  const list = h('ul', { class: 'list', role: 'list', 'aria-labelledby': `${id}-title` });
  const note = h('p', { class: 'note', role: 'status' }, 'Loading…');
  const panel = h(
    'div',
    { class: 'panel', id: `${id}-panel`, role: 'dialog', 'aria-labelledby': `${id}-title`, tabindex: '-1', hidden: '' },
    h('div', { class: 'head' }, h('span', { class: 'heading', id: `${id}-title` }, 'Notifications'), count),
    list,
    note,
  );
  root.append(bell, panel);
  target.append(host);

  let items: InboxItem[] = [];
  let unread = 0;
  let loaded = false;
  let failed = false;
  /** Messages unread when the list showed them: they keep their mark until it closes. */
  const fresh = new Set<string>();
  /** Messages this page already marked opened, so a list fetched before the mark landed does not send it again. */
  const marked = new Set<string>();

  function render() {
    const current = items.filter((item) => !item.expiresAt || Date.parse(item.expiresAt) > now());
    bell.setAttribute('aria-label', unread > 0 ? `Notifications, ${unread} unread` : 'Notifications');
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.hidden = unread === 0;
    count.textContent = unread > 0 ? `${unread} unread` : '';
    // Keep keyboard focus on the same control when a poll redraws the list.
    const active = panel.hidden ? null : root.activeElement;
    const activeItem = active?.closest('li')?.getAttribute('data-id');
    const activeClass = active?.getAttribute('class');
    list.replaceChildren(...current.map(renderItem));
    if (activeItem) {
      const again = [...list.children].find((li) => li.getAttribute('data-id') === activeItem)?.querySelector<HTMLElement>(`.${activeClass}`);
      (again ?? panel).focus();
    }
    note.hidden = loaded && current.length > 0;
    note.textContent = !loaded ? (failed ? 'Notifications could not be loaded. We will try again shortly.' : 'Loading…') : 'You’re all caught up. New messages will show up here.';
  }

  function renderItem(item: InboxItem) {
    const url = item.cta ? safeUrl(item.cta.url) : null;
    const cta = item.cta && url ? h('a', { class: 'cta', href: url }, item.cta.label || url) : null;
    cta?.addEventListener('click', (event) => follow(event, item, url!));
    const time = h('time', { datetime: item.createdAt, title: absoluteTime(item.createdAt) }, relativeTime(item.createdAt, now()));
    const dismiss = h('button', { type: 'button', class: 'dismiss', 'aria-label': `Dismiss: ${item.title}` }, icon(closePaths));
    dismiss.addEventListener('click', () => remove(item));
    return h(
      'li',
      { class: fresh.has(item.id) ? 'item new' : 'item', 'data-id': item.id },
      h('div', { class: 'text' }, h('p', { class: 'title' }, item.title), item.body ? h('p', { class: 'body' }, item.body) : null, h('div', { class: 'meta' }, cta, time)),
      dismiss,
    );
  }

  function follow(event: MouseEvent, item: InboxItem, url: string) {
    const clicked = api.mark(item.id, 'clicked', true).catch(() => undefined);
    item.clickedAt = new Date(now()).toISOString();
    // A new tab or window keeps this page: let the browser do it; keepalive carries the mark.
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void Promise.race([clicked, new Promise((resolve) => setTimeout(resolve, 1_500))]).then(() => navigate(url));
  }

  function remove(item: InboxItem) {
    const index = items.indexOf(item);
    items = items.filter((other) => other !== item);
    if (!item.openedAt && !fresh.has(item.id)) unread = Math.max(0, unread - 1);
    render();
    void api.mark(item.id, 'dismissed').catch(() => undefined);
    // Focus the neighbour's dismiss button, so a keyboard user can keep clearing.
    const buttons = list.querySelectorAll<HTMLButtonElement>('.dismiss');
    (buttons[Math.min(index, buttons.length - 1)] ?? panel).focus();
  }

  /** Marks what the open list shows as opened, once each. */
  function markShownOpened() {
    const shown = items.filter((item) => !item.openedAt);
    if (shown.length === 0) return;
    const at = new Date(now()).toISOString();
    for (const item of shown) {
      item.openedAt = at;
      fresh.add(item.id);
      if (!marked.has(item.id)) void api.mark(item.id, 'opened').catch(() => undefined);
      marked.add(item.id);
    }
    unread = Math.max(0, unread - shown.length);
  }

  async function refresh() {
    try {
      const page = await api.list();
      items = Array.isArray(page.items) ? page.items : [];
      unread = Math.max(0, Number(page.unread) || 0);
      loaded = true;
      failed = false;
    } catch {
      failed = true;
    }
    if (!panel.hidden) markShownOpened();
    render();
  }

  function place() {
    const rect = bell.getBoundingClientRect();
    const width = Math.min(360, window.innerWidth - 16);
    const left = Math.min(Math.max(8, rect.right - width), window.innerWidth - width - 8);
    const top = rect.bottom + 8;
    Object.assign(panel.style, { width: `${width}px`, left: `${left}px`, top: `${top}px`, maxHeight: `${Math.max(200, window.innerHeight - top - 8)}px` });
  }

  async function open() {
    if (!panel.hidden) return;
    panel.hidden = false;
    bell.setAttribute('aria-expanded', 'true');
    place();
    markShownOpened();
    render();
    panel.focus();
    await refresh();
  }

  function close(returnFocus = false) {
    if (panel.hidden) return;
    panel.hidden = true;
    bell.setAttribute('aria-expanded', 'false');
    fresh.clear();
    render();
    if (returnFocus) bell.focus();
  }

  bell.addEventListener('click', () => (panel.hidden ? void open() : close()));
  root.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Escape' && !panel.hidden) {
      event.stopPropagation();
      close(true);
    }
  });
  const onOutside = (event: Event) => {
    if (!panel.hidden && !event.composedPath().includes(host)) close();
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') void refresh();
  };
  const onViewport = () => {
    if (!panel.hidden) place();
  };
  document.addEventListener('pointerdown', onOutside);
  document.addEventListener('focusin', onOutside);
  document.addEventListener('visibilitychange', onVisible);
  window.addEventListener('resize', onViewport);
  window.addEventListener('scroll', onViewport, true);
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') void refresh();
  }, options.pollMs ?? 30_000);

  render();
  void refresh();
  return {
    refresh,
    open,
    close: () => close(),
    destroy() {
      clearInterval(timer);
      document.removeEventListener('pointerdown', onOutside);
      document.removeEventListener('focusin', onOutside);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('resize', onViewport);
      window.removeEventListener('scroll', onViewport, true);
      host.remove();
    },
  };
}

/** Only http(s) links become CTAs: a `javascript:` URL would run in the site's page. */
export function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
