/** What `Waymark.init` takes: the workspace's public write key and the Waymark host (default: where sdk.js came from). */
export interface InitOptions {
  writeKey: string;
  host?: string;
}

/** One message of the in-app inbox, as `GET /v1/inbox` lists it. */
export interface InboxItem {
  id: string;
  title: string;
  body: string;
  cta?: { label: string; url: string } | null;
  createdAt: string;
  openedAt: string | null;
  clickedAt: string | null;
  expiresAt: string | null;
}

/** `GET /v1/inbox`: the newest messages and how many are unread in all. */
export interface InboxPage {
  unread: number;
  items: InboxItem[];
}

/** Who the visitor is: the anonymous id this browser keeps and, after `identify`, the user id. */
export interface Visitor {
  userId?: string;
  anonymousId: string;
}

/** The payload Waymark's push adapter sends, as the service worker reads it. */
export interface PushPayload {
  title?: string;
  body?: string;
  icon?: string;
  url?: string;
  messageId?: string;
}
