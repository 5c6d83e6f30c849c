import type { NodeType } from '@waymark/shared';

/* What a node does, in the words a marketer would use: the line shown on the canvas. */

// biome-ignore lint/suspicious/noExplicitAny: node data of every type, read field by field for its summary
type Data = Record<string, any>;

const duration = (d: Data | undefined) => (d ? `${d.amount} ${d.amount === 1 ? String(d.unit).replace(/s$/, '') : d.unit}` : '…');
const operatorWords: Record<string, string> = {
  equals: '=',
  'not-equals': '≠',
  'greater-than': '>',
  'greater-or-equal': '≥',
  'less-than': '<',
  'less-or-equal': '≤',
  contains: 'contains',
  exists: 'exists',
  'not-exists': 'is missing',
  in: 'in',
};

function rule(r: Data | undefined): string {
  if (!r) return 'no rules yet';
  switch (r.kind) {
    case 'trait':
    case 'event-property':
      return `${r.path || '…'} ${operatorWords[r.operator] ?? r.operator}${r.value === undefined ? '' : ` ${JSON.stringify(r.value)}`}`;
    case 'event-count':
      return `did ${r.event || '…'} ${r.comparison ?? ''} ${r.count ?? ''}×`.replace(/\s+/g, ' ').trim();
    case 'channel':
      return `${r.channel} ${r.state ?? ''}`.trim();
    case 'message':
      return `${r.activity} ${r.nodeId}`;
    case 'group':
      return r.rules?.length ? `${rule(r.rules[0])}${r.rules.length > 1 ? ` ${r.match === 'any' ? 'or' : 'and'} ${r.rules.length - 1} more` : ''}` : 'no rules yet';
    default:
      return String(r.kind ?? '…');
  }
}

function trigger(entry: Data | undefined): string {
  switch (entry?.kind) {
    case 'event':
      return `When ${entry.event || '…'}${entry.filter?.length ? ' (filtered)' : ''}`;
    case 'segment':
      return `When ${rule(entry.rules)}`;
    case 'schedule': {
      const s = entry.schedule ?? {};
      return s.kind === 'once'
        ? `Once, ${s.date} ${s.time}`
        : `${String(s.frequency ?? '').replace(/^./, (c: string) => c.toUpperCase())} at ${s.time}${entry.timing === 'customer-local' ? ' local' : ''}`;
    }
    case 'api':
      return 'When enrolled by the API';
    default:
      return 'Choose how customers enter';
  }
}

function wait(w: Data | undefined): string {
  switch (w?.kind) {
    case 'duration':
      return `Wait ${duration(w.duration)}`;
    case 'time-of-day':
      return `Wait until ${w.time}${w.weekdays?.length ? ` (${w.weekdays.join(', ')})` : ''}`;
    case 'date':
      return `Until ${w.offset ? `${duration(w.offset)} ${w.offset.direction} ` : ''}${w.path || '…'}${w.time ? ` at ${w.time}` : ''}`;
    default:
      return 'Wait';
  }
}

const channelNames: Record<string, string> = { email: 'Email', sms: 'SMS', push: 'Push', webhook: 'Webhook', 'in-app': 'In-app' };

function send(d: Data): string {
  const channel = d.delivery?.mode === 'channel' ? d.delivery.channel : d.delivery?.channels?.[0];
  const content = d.content?.[channel] ?? {};
  const what = content.subject || content.title || content.text || (content.url ? `${content.method ?? 'POST'} ${content.url}` : '') || d.name || '…';
  const label = d.delivery?.mode === 'preferred-channel' ? 'Preferred channel' : (channelNames[channel] ?? 'Send');
  return `${label}: ${what}`;
}

/** The one-line description of a node on the canvas ("Wait 2 days", "Email: Your cart is waiting"). */
export function nodeSummary(type: NodeType, data: Data): string {
  switch (type) {
    case 'trigger':
      return trigger(data.entry);
    case 'wait':
      return wait(data.wait);
    case 'wait-for-event':
      return `Wait for ${data.event || '…'} up to ${duration(data.timeout)}`;
    case 'condition':
      return `If ${rule(data.rules)}`;
    case 'split':
      return `Split ${(data.arms ?? []).map((a: Data) => a.weight).join(' / ')}`;
    case 'send':
      return send(data);
    case 'update-profile':
      return data.operations?.length ? `${data.operations.map((o: Data) => `${o.op} ${o.trait}`).join(', ')}` : 'Update the profile';
    case 'exit':
      return `Exit${data.reason ? `: ${data.reason}` : ''}`;
  }
}

/** The channel a send node uses first, for its icon and colour. */
export function sendChannel(data: Data): string | undefined {
  return data.delivery?.mode === 'channel' ? data.delivery.channel : data.delivery?.channels?.[0];
}
