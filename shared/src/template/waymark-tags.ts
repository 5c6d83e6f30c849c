import { CaptureTag, type Context, CycleTag, type Emitter, ForTag, type Liquid, type Parser, TablerowTag, Tag, type TagToken, type Template, type TopLevelToken, toValue, Value } from 'liquidjs';
import { refusedTag } from './no-file-system.ts';
import { BudgetEmitter, type Trust, workOf } from './render-work.ts';
import { trustOf } from './template-parser.ts';

/** A tag implementation as `registerTag` takes it. */
export type TagClass = Extract<Parameters<Liquid['registerTag']>[1], abstract new (...args: never[]) => unknown>;

/** Counts one iteration each time a loop body starts (SPEC L2). */
class IterationCount implements Template {
  readonly token: TagToken;

  constructor(token: TagToken) {
    this.token = token;
  }

  render(ctx: Context): void {
    workOf(ctx).iterate();
  }
}

class CountedFor extends ForTag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid, parser);
    this.templates.unshift(new IterationCount(token));
  }
}

class CountedTablerow extends TablerowTag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid, parser);
    this.templates.unshift(new IterationCount(token));
  }
}

/** `capture` writes into an emitter that counts towards the output limit. */
class CountedCapture extends CaptureTag {
  override *render(ctx: Context): Generator<unknown, void, string> {
    const emitter = new BudgetEmitter(workOf(ctx));
    yield this.liquid.renderer.renderTemplates(this.templates, ctx, emitter);
    ctx.bottom()[this.variable] = emitter.buffer;
  }
}

/** `echo` escaped like `{{ … }}` at the same place. */
class EscapedEcho extends Tag {
  private readonly value: Value | undefined;
  private readonly trust: Trust;

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    this.tokenizer.skipBlank();
    this.value = this.tokenizer.end() ? undefined : new Value(this.tokenizer.readFilteredValue(), liquid);
    this.trust = this.value ? trustOf(this.value) : null;
  }

  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    if (!this.value) return;
    const value = toValue(yield this.value.value(ctx, false));
    emitter.write(workOf(ctx).escape(this.token.begin, value, this.trust, emitter));
  }

  *arguments() {
    if (this.value) yield this.value;
  }
}

/** `cycle` prints values too, so they are escaped like `{{ … }}` at the same place. */
class EscapedCycle extends CycleTag {
  override *render(ctx: Context, emitter: Emitter): Generator<unknown, unknown, unknown> {
    const value = yield* super.render(ctx, emitter);
    return workOf(ctx).escape(this.token.begin, value, null, emitter);
  }
}

/** The tags Waymark replaces in liquidjs: no file access, counted loops and captures, escaped printing tags. */
export const waymarkTags: Record<string, TagClass> = {
  include: refusedTag('include'),
  render: refusedTag('render'),
  layout: refusedTag('layout'),
  for: CountedFor,
  tablerow: CountedTablerow,
  capture: CountedCapture,
  echo: EscapedEcho,
  cycle: EscapedCycle,
};
