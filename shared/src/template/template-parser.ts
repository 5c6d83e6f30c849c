import { type Context, type Emitter, type Liquid, LiquidError, Output, ParseError, Parser, type TopLevelToken, TypeGuards, toValue, type Value } from 'liquidjs';
import { type Trust, workOf } from './render-work.ts';

/** What the last filter of a value vouches for: `raw` everything, `json` valid JSON. */
export function trustOf(value: Value): Trust {
  const last = value.filters[value.filters.length - 1];
  if (!last) return null;
  if (last.raw) return 'raw';
  return last.name === 'json' || last.name === 'jsonify' ? 'json' : null;
}

/** `{{ … }}` escaped for where it lands in the source (SPEC L3–L5), found by its offset. */
export class ContextualOutput extends Output {
  private readonly trust: Trust;

  constructor(...args: ConstructorParameters<typeof Output>) {
    super(...args);
    this.trust = trustOf(this.value);
  }

  override *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const value = toValue(yield this.value.value(ctx, false));
    emitter.write(workOf(ctx).escape(this.token.begin, value, this.trust, emitter));
  }
}

/** liquidjs's parser, but outputs are `ContextualOutput`s. */
export class TemplateParser extends Parser {
  private readonly engine: Liquid;

  constructor(liquid: Liquid) {
    super(liquid);
    this.engine = liquid;
  }

  override parseToken(token: TopLevelToken, remainTokens: TopLevelToken[]) {
    if (!TypeGuards.isOutputToken(token)) return super.parseToken(token, remainTokens);
    try {
      return new ContextualOutput(token, this.engine);
    } catch (error) {
      if (LiquidError.is(error)) throw error;
      throw new ParseError(error as Error, token);
    }
  }
}
