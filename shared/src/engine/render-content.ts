import type { Channel, ChannelContent } from '../graph/index.ts';
import { renderSettingsKey, renderTemplate, type RenderSettings } from '../template/index.ts';
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

export type RenderedResult = { ok: true; content: Record<string, unknown> } | { ok: false; field: string; error: string };

/**
 * Renders every template of one channel's content. A webhook body must render to JSON and is
 * returned parsed; the HTTP method is not a template.
 */
export function renderContent(channel: Channel, content: ChannelContent, scope: object): RenderedResult {
  const source = content[channel];
  if (!source) return { ok: false, field: `content.${channel}`, error: `no ${channel} content` };
  const rendered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const field = `content.${channel}.${key}`;
    if (key === 'method' || typeof value !== 'string') {
      const nested = key === 'method' || value === undefined ? { ok: true as const, value } : renderObject(value as Record<string, unknown>, scope, field);
      if (!nested.ok) return nested;
      rendered[key] = nested.value;
      continue;
    }
    const result = renderTemplate(value, scope);
    if (!result.ok) return { ok: false, field, error: result.error };
    rendered[key] = result.value;
  }
  if (channel === 'webhook' && typeof rendered.body === 'string' && rendered.body.trim() !== '') {
    try {
      rendered.body = JSON.parse(rendered.body);
    } catch {
      return { ok: false, field: 'content.webhook.body', error: 'the body did not render to valid JSON' };
    }
  }
  return { ok: true, content: rendered };
}

function renderObject(source: Record<string, unknown>, scope: object, path: string): { ok: true; value: Record<string, unknown> } | { ok: false; field: string; error: string } {
  const value: Record<string, unknown> = {};
  for (const [key, template] of Object.entries(source)) {
    const result = renderTemplate(String(template), scope);
    if (!result.ok) return { ok: false, field: `${path}.${key}`, error: result.error };
    value[key] = result.value;
  }
  return { ok: true, value };
}
