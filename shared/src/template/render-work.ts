import { Context, type Emitter, type Liquid } from 'liquidjs';
import { escapeOutput, printable } from './escape-output.ts';
import type { PositionAt } from './output-positions.ts';
import type { TemplateContext } from './template-context.ts';
import { templateLimits, tooExpensive } from './template-limits.ts';

/** What an output's last filter vouches for: `raw` anything, `json` valid JSON. */
export type Trust = 'raw' | 'json' | null;

/**
 * One render's bookkeeping: the work it has done against `templateLimits` (throwing `TooExpensive`
 * past a limit) and where its outputs land, for escaping.
 */
export class RenderWork {
  private iterations = 0;
  private written = 0;
  readonly context: TemplateContext;
  private readonly positionAt: PositionAt;
  /** Plain text and single lines print outputs as they are. */
  private readonly plain: boolean;

  constructor(context: TemplateContext, positionAt: PositionAt) {
    this.context = context;
    this.positionAt = positionAt;
    this.plain = context === 'text' || context === 'line';
  }

  /** Counts loop iterations (or list items a filter goes through). */
  iterate(count = 1): void {
    this.iterations += count;
    if (this.iterations > templateLimits.loopIterations) throw tooExpensive('loop iterations', templateLimits.loopIterations);
  }

  /** Counts characters about to be written anywhere, before they are. */
  write(length: number): void {
    this.written += length;
    if (this.written > templateLimits.outputCharacters) throw tooExpensive('characters of output', templateLimits.outputCharacters);
  }

  /** The value of the output at `offset` escaped for where it lands, as it is when trusted. */
  escape(offset: number, value: unknown, trust: Trust, emitter: Emitter): string {
    if (trust === 'raw' || this.plain || (trust === 'json' && this.context === 'json')) return printable(value);
    const position = this.positionAt(offset);
    const first = position.escape === 'url' ? emitter.buffer.length === 0 : position.escape === 'html-url' && emitter instanceof BudgetEmitter && emitter.last.endsWith(position.opening);
    return escapeOutput(position, value, first);
  }
}

/** An emitter that charges every write to the render's output limit and remembers the last write. */
export class BudgetEmitter implements Emitter {
  buffer = '';
  /** The last non-empty text written: whether a URL attribute was just opened is read from it. */
  last = '';
  private readonly work: RenderWork;

  constructor(work: RenderWork) {
    this.work = work;
  }

  write(html: unknown): void {
    const text = typeof html === 'string' ? html : printable(html);
    if (!text) return;
    this.work.write(text.length);
    this.buffer += text;
    this.last = text;
  }
}

/** A liquidjs context that carries its render's `RenderWork`. */
export class RenderContext extends Context {
  readonly work: RenderWork;

  constructor(scope: object, liquid: Liquid, work: RenderWork) {
    super(scope, liquid.options, { sync: true }, { liquid });
    this.work = work;
  }
}

/** The render's work; every render goes through `renderTemplate`, which makes a `RenderContext`. */
export function workOf(ctx: Context): RenderWork {
  if (ctx instanceof RenderContext) return ctx.work;
  throw new Error('templates render through renderTemplate');
}
