import { Liquid, type FilterImplOptions, type Template } from 'liquidjs';

type FilterHandler = Extract<FilterImplOptions, (...args: never[]) => unknown>;

/**
 * One Liquid engine for the validator, the engine and the preview. Missing variables are errors
 * (as in Customer.io) except inside `if`/`unless` and the `default` filter, so
 * `{{ customer.first_name | default: "there" }}` is how a template says a value is optional.
 * Limits are counts, not time, so rendering stays deterministic.
 */
export const liquid = new Liquid({
  strictVariables: true,
  lenientIf: true,
  strictFilters: true,
  ownPropertyOnly: true,
  parseLimit: 200_000,
  memoryLimit: 10_000_000,
});

/** Where and when a render happens; templateScope puts it in the scope under `renderSettingsKey`. */
export interface RenderSettings {
  zone: string;
  now: string;
}
export const renderSettingsKey = '__render';

const builtInDate = liquid.filters.date as FilterHandler;

/**
 * `date` in the customer's zone (a third argument still overrides it). A date-only value
 * ("2026-12-10") is a calendar date and prints as itself in any zone; `"now"` and `"today"` are
 * the engine's now, so a render depends on its inputs only.
 */
liquid.registerFilter('date', function (this: ThisParameterType<FilterHandler>, value: unknown, format?: unknown, zone?: unknown) {
  const scope = this.context.environments as Record<string, unknown>;
  const render = scope?.[renderSettingsKey] as RenderSettings | undefined;
  const moment = (value === 'now' || value === 'today') && render ? render.now : value;
  const calendarDate = typeof moment === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(moment);
  return builtInDate.call(this, moment, format, zone ?? (calendarDate ? 'UTC' : (render?.zone ?? 'UTC')));
});

liquid.registerFilter('required', (value: unknown) => {
  if (value === undefined || value === null || value === '') throw new Error('a required value is empty');
  return value;
});

const parsed = new Map<string, Template[]>();
const maxCached = 5_000;

/** Parses a template once and keeps it; throws the Liquid syntax error. */
export function parseTemplate(source: string): Template[] {
  let templates = parsed.get(source);
  if (!templates) {
    templates = liquid.parse(source);
    if (parsed.size >= maxCached) parsed.delete(parsed.keys().next().value as string);
    parsed.set(source, templates);
  }
  return templates;
}

/** The syntax error of a template in one sentence, or null when it parses. */
export function templateSyntaxError(source: string): string | null {
  if (!source.includes('{')) return null;
  try {
    parseTemplate(source);
    return null;
  } catch (error) {
    return firstLine(error);
  }
}

export type RenderResult = { ok: true; value: string } | { ok: false; error: string };

/** Renders synchronously; a missing variable or a failing filter is an error value, never a throw. */
export function renderTemplate(source: string, scope: object): RenderResult {
  if (!source.includes('{')) return { ok: true, value: source };
  try {
    return { ok: true, value: String(liquid.renderSync(parseTemplate(source), scope)) };
  } catch (error) {
    return { ok: false, error: firstLine(error) };
  }
}

/** The global variable paths a template reads, such as `["customer", "first_name"]`. */
export function templateVariables(source: string): string[][] {
  if (!source.includes('{')) return [];
  try {
    return liquid.globalVariableSegmentsSync(parseTemplate(source)).map((segments) => segments.filter((s): s is string => typeof s === 'string'));
  } catch {
    return [];
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
