/** What the workspace has seen: trait names, and event names with their property names. */
export interface SeenCatalog {
  traits: readonly string[];
  events: Readonly<Record<string, { properties: readonly string[] }>>;
  /** The workspace's email topics, offered in a send step's topic field. */
  topics?: readonly { id: string; name: string }[];
  /** The workspace's segments, chosen by name in "is in segment" rules. */
  segments?: readonly { id: string; name: string }[];
}

/** The fixed choices of a form: a segment rule's segment, by name. */
export function fieldChoices(catalog: SeenCatalog | null) {
  const segments = (catalog?.segments ?? []).map((s) => ({ value: s.id, label: s.name }));
  return (_path: string, name: string) => (name === 'segmentId' ? segments : undefined);
}

const at = (value: unknown, path: string[]): unknown => path.reduce<unknown>((part, key) => (part && typeof part === 'object' ? (part as Record<string, unknown>)[key] : undefined), value);

/**
 * The values to offer a text field of a node (or the journey settings): event names for an
 * `event` field; for a rule's or a filter's `path`, the trait names or the properties the event
 * it filters has carried.
 */
export function fieldSuggestions(data: unknown, catalog: SeenCatalog | null) {
  return (path: string, name: string): readonly string[] | undefined => {
    if (!catalog) return undefined;
    const events = Object.keys(catalog.events).sort();
    if (name === 'event') return events;
    if (path === 'topic') return catalog.topics?.map((topic) => topic.id);
    if (name !== 'path') return undefined;
    const parts = path.split('.');
    const parent = at(data, parts.slice(0, -1)) as { kind?: string; event?: string } | undefined;
    if (parent?.kind === 'trait') return catalog.traits;
    if (parent?.kind === 'event-property' && parent.event) return catalog.events[parent.event]?.properties;
    // A filter list: `entry.filter.0.path`, `filter.0.path`, `goal.filter.0.path` — the event beside the list.
    const owner = at(data, parts.slice(0, -3)) as { event?: string } | undefined;
    return owner?.event ? catalog.events[owner.event]?.properties : undefined;
  };
}

const channelWords: Record<string, string> = { email: 'email', sms: 'SMS', push: 'push', webhook: 'webhook', 'in-app': 'in-app' };

/** Of a send node's data: the channels it sends on, and the content it holds for other channels. */
export function sendChannels(data: unknown): { used: Set<string>; unused: string[] } {
  const delivery = at(data, ['delivery']) as { mode?: string; channel?: string; channels?: string[] } | undefined;
  const used = new Set(delivery?.mode === 'preferred-channel' ? (delivery.channels ?? []) : delivery?.channel ? [delivery.channel] : []);
  const content = (at(data, ['content']) ?? {}) as Record<string, unknown>;
  return { used, unused: Object.keys(content).filter((channel) => content[channel] !== undefined && !used.has(channel)) };
}

export const channelName = (channel: string) => channelWords[channel] ?? channel;

/** Empty content to fill in, per channel: what a send gets for a channel it starts to use. */
const blankContent: Record<string, Record<string, string>> = {
  email: { subject: '', html: '' },
  sms: { text: '' },
  push: { title: '', body: '' },
  'in-app': { title: '', body: '' },
  webhook: { method: 'POST', url: '' },
};

/**
 * A send node's data after an edit: a channel it now sends on gets empty content to fill in, so
 * switching email to SMS shows the SMS fields at once (the email content stays until removed).
 */
export function withContentForChannels(data: unknown): unknown {
  const { used } = sendChannels(data);
  const content = ((data as { content?: Record<string, unknown> }).content ?? {}) as Record<string, unknown>;
  const missing = [...used].filter((channel) => content[channel] === undefined && blankContent[channel]);
  if (!missing.length) return data;
  return { ...(data as object), content: { ...content, ...Object.fromEntries(missing.map((channel) => [channel, { ...blankContent[channel] }])) } };
}
