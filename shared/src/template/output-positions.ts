import { type Liquid, Tokenizer, TypeGuards } from 'liquidjs';
import { HtmlScanner } from './html-scanner.ts';
import type { OutputPosition, TemplateContext } from './template-context.ts';

/** How the output (or printing tag) starting at a source offset is escaped. */
export type PositionAt = (offset: number) => OutputPosition;

const none: OutputPosition = { escape: 'none' };
const url: OutputPosition = { escape: 'url' };

/**
 * Where each output of a template lands in `context`, found once from the source: the literal
 * text is followed in order and the Liquid between is skipped, so every output knows its place
 * without rendering. An offset inside a tag (an `echo` in `{% liquid %}`) takes the tag's place.
 */
export function outputPositions(context: TemplateContext, source: string, liquid: Liquid): PositionAt {
  if (context === 'text' || context === 'line') return () => none;
  if (context === 'url') return () => url;
  const scanner = context === 'html' ? new HtmlScanner() : new JsonScanner();
  const offsets: number[] = [];
  const positions: OutputPosition[] = [];
  let inComment = false;
  for (const token of new Tokenizer(source, liquid.options.operators).readTopLevelTokens(liquid.options)) {
    if (TypeGuards.isTagToken(token) && (token.name === 'comment' || token.name === 'endcomment')) inComment = token.name === 'comment';
    else if (inComment) continue;
    else if (TypeGuards.isHTMLToken(token)) scanner.text(token.getContent());
    else {
      offsets.push(token.begin);
      positions.push(scanner.position());
      if (TypeGuards.isOutputToken(token)) scanner.afterOutput();
    }
  }
  const exact = new Map(offsets.map((offset, i) => [offset, positions[i]!]));
  return (offset) => exact.get(offset) ?? positions[lastAtOrBefore(offsets, offset)] ?? none;
}

/** Follows JSON text far enough to know whether a point is inside a string literal. */
class JsonScanner {
  private inString = false;
  private escaped = false;

  position(): OutputPosition {
    return { escape: this.inString ? 'json-string' : 'json-value' };
  }

  afterOutput(): void {}

  text(chunk: string): void {
    for (const c of chunk) {
      if (this.escaped) this.escaped = false;
      else if (this.inString && c === '\\') this.escaped = true;
      else if (c === '"') this.inString = !this.inString;
    }
  }
}

function lastAtOrBefore(sorted: number[], offset: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}
