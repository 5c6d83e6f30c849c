import { type Template, toValueSync } from 'liquidjs';
import { liquid } from './liquid.ts';
import { TemplateRefusal } from './no-file-system.ts';
import { outputPositions, type PositionAt } from './output-positions.ts';
import { BudgetEmitter, RenderContext, RenderWork } from './render-work.ts';
import { storableText } from './storable-text.ts';
import type { TemplateContext } from './template-context.ts';
import { TemplateParser } from './template-parser.ts';
import { templateLimits, TooExpensive, tooExpensive } from './template-limits.ts';

interface Parsed {
  templates: Template[];
  positions: Partial<Record<TemplateContext, PositionAt>>;
  /** `increment` and `decrement` write to the outermost scope: such a template renders over a copy of it. */
  writesScope: boolean;
}

const parsed = new Map<string, Parsed>();
const maxCached = 5_000;

function parse(source: string): Parsed {
  let entry = parsed.get(source);
  if (!entry) {
    entry = { templates: new TemplateParser(liquid).parse(source), positions: {}, writesScope: /\b(in|de)crement\b/.test(source) };
    if (parsed.size >= maxCached) parsed.delete(parsed.keys().next().value as string);
    parsed.set(source, entry);
  }
  return entry;
}

/** Parses a template once and keeps it; throws the Liquid syntax error. */
export function parseTemplate(source: string): Template[] {
  return parse(source).templates;
}

/** The syntax error of a template in one sentence, or null when it parses. */
export function templateSyntaxError(source: string): string | null {
  if (!source.includes('{')) return null;
  try {
    parseTemplate(source);
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

export type RenderResult = { ok: true; value: string } | { ok: false; error: string };

/**
 * Renders synchronously; a missing variable, a failing filter or a passed limit ("too expensive:
 * …", SPEC L2) is an error value, never a throw. Outputs are escaped for `context` (plain text
 * unless told, SPEC L3–L6) and the result is storable text (SPEC L7). The scope is not mutated.
 */
export function renderTemplate(source: string, scope: object, context: TemplateContext = 'text'): RenderResult {
  if (!source.includes('{')) return { ok: true, value: finish(source, context) };
  try {
    const entry = parse(source);
    entry.positions[context] ??= outputPositions(context, source, liquid);
    const work = new RenderWork(context, entry.positions[context]);
    const emitter = new BudgetEmitter(work);
    const ctx = new RenderContext(entry.writesScope ? { ...scope } : scope, liquid, work);
    toValueSync(liquid.renderer.renderTemplates(entry.templates, ctx, emitter));
    return { ok: true, value: finish(emitter.buffer, context) };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
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

function finish(text: string, context: TemplateContext): string {
  const storable = storableText(text);
  return context === 'line' && (storable.includes('\n') || storable.includes('\r')) ? storable.replace(/\r\n|[\r\n]/g, ' ') : storable;
}

/** One sentence: our own refusals and limits as they are, liquidjs's limits in our words, else the first line. */
function messageOf(error: unknown): string {
  const original = (error as { originalError?: unknown } | null)?.originalError ?? error;
  if (original instanceof TemplateRefusal || original instanceof TooExpensive) return original.message;
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('memory alloc limit exceeded')) return tooExpensive('characters or list items created (memory limit)', templateLimits.memory).message;
  if (message.startsWith('parse length limit exceeded')) return tooExpensive('characters in one template', templateLimits.parseCharacters).message;
  return message.split('\n')[0] ?? message;
}
