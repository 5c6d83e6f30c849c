import { type FilterImplOptions, Liquid, toValue } from 'liquidjs';
import { noFileSystem } from './no-file-system.ts';
import { workOf } from './render-work.ts';
import { templateLimits } from './template-limits.ts';
import { waymarkTags } from './waymark-tags.ts';

type FilterHandler = Extract<FilterImplOptions, (...args: never[]) => unknown>;
type FilterThis = ThisParameterType<FilterHandler>;

/**
 * One Liquid engine for the validator, the engine and the preview. Missing variables are errors
 * (as in Customer.io) except inside `if`/`unless` and the `default` filter, so
 * `{{ customer.first_name | default: "there" }}` is how a template says a value is optional.
 * It reads no files (SPEC L1) and its limits are counts, not time (SPEC L2), so rendering stays
 * deterministic. Render through `renderTemplate`, which escapes and counts.
 */
export const liquid = new Liquid({
  strictVariables: true,
  lenientIf: true,
  strictFilters: true,
  ownPropertyOnly: true,
  parseLimit: templateLimits.parseCharacters,
  memoryLimit: templateLimits.memory,
  fs: noFileSystem,
  relativeReference: false,
});

for (const [name, tag] of Object.entries(waymarkTags)) liquid.registerTag(name, tag);

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
liquid.registerFilter('date', function (this: FilterThis, value: unknown, format?: unknown, zone?: unknown) {
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

/** List filters that visit every item (some evaluate an expression each time): each item counts as a loop iteration. */
const listFilters = [
  'where',
  'reject',
  'where_exp',
  'reject_exp',
  'group_by',
  'group_by_exp',
  'has',
  'has_exp',
  'find',
  'find_exp',
  'find_index',
  'find_index_exp',
  'map',
  'sum',
  'sort',
  'sort_natural',
  'uniq',
  'compact',
];
for (const name of listFilters) {
  const builtIn = liquid.filters[name] as FilterHandler;
  liquid.registerFilter(name, function (this: FilterThis, list: unknown, ...args: unknown[]) {
    const items = toValue(list);
    workOf(this.context).iterate(Array.isArray(items) ? items.length : 1);
    return (builtIn as (this: FilterThis, ...all: unknown[]) => unknown).call(this, list, ...args);
  });
}
