import type { Channel, ChannelContent } from '../graph/index.ts';
import { authorLinks, renderSettingsKey, renderTemplate, storableJson, type RenderSettings, type TemplateContext } from '../template/index.ts';
import type { CustomerProfile, Progress } from './types.ts';

/**
 * The variables templates see: `customer`, `event` (the trigger's properties) and `journey`;
 * plus the render's zone and moment, so `date` prints in the customer's zone and `"now"` is the
 * engine's now, never the machine's clock or zone.
 */
export function templateScope(progress: Progress, customer: CustomerProfile, journeyName: string, render: RenderSettings): object {
  return {
    [renderSettingsKey]: render,
    customer: {
      email: customer.channels.email?.address ?? undefined,
      phone: customer.channels.sms?.address ?? undefined,
      ...customer.traits,
      id: customer.externalId ?? customer.id,
    },
    event: progress.trigger?.properties ?? {},
    journey: {
      id: progress.journeyId,
      name: journeyName,
      entered_at: progress.enteredAt,
      trigger_event: progress.trigger?.name,
      last_event: progress.lastEvent?.properties,
    },
  };
}

/** Where each field's text lands (SPEC L3–L6), by channel and field (`headers` stands for each header); a field not listed is plain text. */
const fieldContexts: Record<Channel, Record<string, TemplateContext>> = {
  email: { subject: 'line', preheader: 'line', fromName: 'line', html: 'html' },
  sms: {},
  push: { deepLink: 'url', imageUrl: 'url' },
  webhook: { url: 'url', headers: 'line', body: 'json' },
  'in-app': { 'cta.url': 'url' },
};

/** The context a field of a channel's content renders in; `path` is relative to the channel's content (`subject`, `cta.url`). */
export function fieldContext(channel: Channel, path: string): TemplateContext {
  const fields = fieldContexts[channel];
  const dot = path.indexOf('.');
  return fields[path] ?? (dot < 0 ? undefined : fields[path.slice(0, dot)]) ?? 'text';
}

export type RenderedResult = { ok: true; content: Record<string, unknown> } | { ok: false; field: string; error: string };

/**
 * Renders every template of one channel's content, each escaped for where it lands. A webhook
 * body must render to JSON and is returned parsed; the HTTP method is not a template. An email
 * also gets `links`: the rendered links the author wrote, the only ones click tracking may wrap.
 */
export function renderContent(channel: Channel, content: ChannelContent, scope: object): RenderedResult {
  const source = content[channel];
  if (!source) return { ok: false, field: `content.${channel}`, error: `no ${channel} content` };
  const rendered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const field = `content.${channel}.${key}`;
    // Numbers (an in-app message's expiry) are settings, not templates: kept as written.
    if (typeof value === 'number') {
      rendered[key] = value;
      continue;
    }
    if (key === 'method' || typeof value !== 'string') {
      const nested = key === 'method' || value === undefined ? { ok: true as const, value } : renderObject(channel, key, value as Record<string, unknown>, scope);
      if (!nested.ok) return nested;
      rendered[key] = nested.value;
      continue;
    }
    const result = renderTemplate(value, scope, fieldContext(channel, key));
    if (!result.ok) return { ok: false, field, error: result.error };
    rendered[key] = result.value;
  }
  if (channel === 'email' && content.email && typeof rendered.html === 'string') rendered.links = authorLinks(content.email.html, rendered.html);
  if (channel === 'webhook' && typeof rendered.body === 'string' && rendered.body.trim() !== '') {
    try {
      rendered.body = storableJson(JSON.parse(rendered.body));
    } catch {
      return { ok: false, field: 'content.webhook.body', error: 'the body did not render to valid JSON' };
    }
  }
  return { ok: true, content: rendered };
}

function renderObject(channel: Channel, key: string, source: Record<string, unknown>, scope: object): { ok: true; value: Record<string, unknown> } | { ok: false; field: string; error: string } {
  const value: Record<string, unknown> = {};
  for (const [name, template] of Object.entries(source)) {
    const result = renderTemplate(String(template), scope, fieldContext(channel, `${key}.${name}`));
    if (!result.ok) return { ok: false, field: `content.${channel}.${key}.${name}`, error: result.error };
    value[name] = result.value;
  }
  return { ok: true, value };
}
