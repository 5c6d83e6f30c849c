import type { TimelineItem } from '@waymark/shared';
import {
  Activity,
  Bell,
  CircleCheck,
  CircleOff,
  CircleSlash,
  FileText,
  LogIn,
  LogOut,
  Mail,
  MailOpen,
  MessageSquare,
  MousePointerClick,
  PanelTop,
  TriangleAlert,
  UserRound,
  Users,
  Webhook,
} from 'lucide-react';
import type { ReactNode } from 'react';
import { channelName, consentWords, readableDetail, reasonWords, runStatusWords } from '../../components/words.ts';

type Of<K extends TimelineItem['kind']> = Extract<TimelineItem, { kind: K }>;

/** Where a consent change came from, as the timeline says it. */
const consentSources: Record<Of<'consent'>['source'], string> = {
  link: 'by the unsubscribe link of a message',
  identify: 'set by an identify call',
  'preference-page': 'on the preference page',
  'sms-reply': 'by an SMS reply (STOP / START)',
  api: 'through the API',
  'push-subscription': 'by subscribing to push notifications',
};

const channelIcons: Record<string, typeof Mail> = { email: Mail, sms: MessageSquare, push: Bell, webhook: Webhook, 'in-app': PanelTop };
const clock = new Intl.DateTimeFormat('en', { timeStyle: 'short' });

/** A property value as short text (nested values only by their size). */
const short = (value: unknown) =>
  value === null ? '—' : Array.isArray(value) ? `${value.length} items` : typeof value === 'object' ? `${Object.keys(value as object).length} fields` : String(value).slice(0, 60);

const segmentList = new Intl.ListFormat('en', { type: 'conjunction' });

function eventText(item: Of<'event'>): { icon: typeof Mail; title: ReactNode; detail: string | null } {
  const entries = Object.entries(item.properties);
  const fields = entries.length
    ? `${entries
        .slice(0, 4)
        .map(([k, v]) => `${k}: ${short(v)}`)
        .join(' · ')}${entries.length > 4 ? ` · ${entries.length - 4} more` : ''}`
    : null;
  if (item.type === 'identify')
    return {
      icon: UserRound,
      title: 'Profile updated',
      detail: entries.length
        ? `${entries
            .slice(0, 6)
            .map(([k]) => k)
            .join(', ')}${entries.length > 6 ? ` and ${entries.length - 6} more` : ''}`
        : null,
    };
  if (item.type === 'page' || item.type === 'screen') return { icon: FileText, title: `Viewed ${item.type === 'page' ? 'page' : 'screen'} ${item.name ?? ''}`.trim(), detail: fields };
  if (item.type === 'track' && item.name === 'Message Bounced' && typeof item.properties.channel === 'string') {
    const { channel, address, code, reason } = item.properties;
    return {
      icon: TriangleAlert,
      title: <>{channelName(channel)} address bounced</>,
      detail: [typeof address === 'string' ? address : null, typeof code === 'string' ? `code ${code}` : null, typeof reason === 'string' ? reason : null].filter(Boolean).join(' · ') || null,
    };
  }
  if (item.type === 'track' && item.name === 'Segments Changed') {
    // Written by segment upkeep: what the customer entered and left in one moment.
    const names = (list: unknown) => (Array.isArray(list) ? list.map((s) => `“${String((s as { segment?: unknown }).segment ?? '…')}”`) : []);
    const [entered, left] = [names(item.properties.entered), names(item.properties.exited)];
    const title = [entered.length ? `Entered ${segmentList.format(entered)}` : null, left.length ? `left ${segmentList.format(left)}` : null].filter(Boolean).join('; ');
    return { icon: Users, title: title.charAt(0).toUpperCase() + title.slice(1) || 'Segments changed', detail: 'Segment membership' };
  }
  if (item.type === 'track') return { icon: Activity, title: <strong>{item.name}</strong>, detail: fields };
  return { icon: Activity, title: item.type === 'alias' ? 'Identities merged' : item.type === 'group' ? 'Joined a group' : item.type, detail: fields };
}

function messageText(item: Of<'message'>): { icon: typeof Mail; title: ReactNode; detail: string | null } {
  const channel = channelName(item.channel);
  const quoted = item.summary && item.action !== 'skipped' ? <> “{item.summary}”</> : null;
  switch (item.action) {
    case 'skipped':
      return {
        icon: CircleSlash,
        title: (
          <>
            {item.summary ?? channel} — {reasonWords(item.reason ?? 'skipped')}
          </>
        ),
        detail: item.detail && readableDetail(item.detail),
      };
    case 'failed':
      return {
        icon: TriangleAlert,
        title: (
          <>
            {channel} failed{quoted}
          </>
        ),
        detail: item.detail,
      };
    case 'queued':
      return {
        icon: channelIcons[item.channel ?? ''] ?? Mail,
        title: (
          <>
            {channel} waiting to be sent{quoted}
          </>
        ),
        detail: item.detail && `Last try: ${item.detail}`,
      };
    case 'opened':
      return {
        icon: MailOpen,
        title: (
          <>
            Opened {channel.toLowerCase()}
            {quoted}
          </>
        ),
        detail: null,
      };
    case 'clicked':
      return {
        icon: MousePointerClick,
        title: (
          <>
            Clicked a link in {channel.toLowerCase()}
            {quoted}
          </>
        ),
        detail: null,
      };
    case 'delivered':
      return {
        icon: CircleCheck,
        title: (
          <>
            {channel} delivered{quoted}
          </>
        ),
        detail: null,
      };
    default:
      return {
        icon: channelIcons[item.channel ?? ''] ?? Mail,
        title: (
          <>
            {channel} sent{quoted}
          </>
        ),
        detail: null,
      };
  }
}

/** One moment of the customer's story: icon, what happened in words, why, and when. Messages and runs open. */
export function TimelineRow({ item, onOpenMessage, onOpenRun }: { item: TimelineItem; onOpenMessage(messageId: string): void; onOpenRun(runId: string, journeyName: string): void }) {
  let icon: typeof Mail;
  let title: ReactNode;
  let detail: string | null = null;
  let tone = '';
  let open: (() => void) | null = null;
  let openLabel = '';
  switch (item.kind) {
    case 'event':
      ({ icon, title, detail } = eventText(item));
      break;
    case 'journey':
      icon = item.action === 'entered' ? LogIn : LogOut;
      title =
        item.action === 'entered' ? (
          <>
            Entered <strong>{item.journeyName}</strong>
          </>
        ) : (
          <>
            Left <strong>{item.journeyName}</strong>: {runStatusWords(item.status, item.endReason).toLowerCase()}
          </>
        );
      detail = `version ${item.version}`;
      open = () => onOpenRun(item.runId, item.journeyName);
      openLabel = 'Show path';
      break;
    case 'message':
      ({ icon, title, detail } = messageText(item));
      tone = item.action === 'failed' || item.action === 'skipped' ? 'is-warning' : '';
      detail = [item.journeyName, detail].filter(Boolean).join(' · ');
      if (item.messageId) {
        const id = item.messageId;
        open = () => onOpenMessage(id);
        openLabel = 'Open message';
      }
      break;
    case 'consent':
      icon = item.consent === 'unsubscribed' ? CircleSlash : CircleCheck;
      title = (
        <>
          {channelName(item.channel)}: {consentWords(item.consent).toLowerCase()}
        </>
      );
      if (item.topic)
        title = (
          <>
            {channelName(item.channel)} topic {item.topic}: {item.consent === 'unsubscribed' ? 'left' : 'joined'}
          </>
        );
      detail = consentSources[item.source] ?? item.source;
      tone = 'is-consent';
      break;
    case 'refusal':
      icon = CircleOff;
      title = (
        <>
          Not entered <strong>{item.refusal.journeyName}</strong>: {item.refusal.detail}
        </>
      );
      detail = `${item.refusal.count === 1 ? 'once' : `${item.refusal.count} times`} since ${new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(item.refusal.firstAt))} · version ${item.refusal.version}`;
      tone = 'is-warning';
      break;
  }
  const Icon = icon;
  return (
    <li className={`wm-timeline-item is-${item.kind} ${tone}`}>
      <time className="wm-timeline-time" dateTime={item.at} title={new Date(item.at).toString()}>
        {clock.format(Date.parse(item.at))}
      </time>
      <span className="wm-timeline-icon">
        <Icon aria-hidden="true" size={16} />
      </span>
      <span className="wm-timeline-text">
        <span className="wm-timeline-title">{title}</span>
        {detail && <span className="wm-sub">{detail}</span>}
      </span>
      {open && (
        <button type="button" className="wm-link-button" onClick={open}>
          {openLabel}
        </button>
      )}
    </li>
  );
}
