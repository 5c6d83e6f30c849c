import type { OutputPosition } from './template-context.ts';

type State =
  | 'data'
  | 'tag-open'
  | 'end-tag-open'
  | 'tag-name'
  | 'in-tag'
  | 'attribute-name'
  | 'after-attribute-name'
  | 'before-value'
  | 'value-double'
  | 'value-single'
  | 'value-bare'
  | 'comment'
  | 'raw-text'
  | 'bogus';

/** Attributes whose value is a URL a browser follows or loads. */
const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'poster', 'background', 'xlink:href']);
const rawTextElements = new Set(['script', 'style']);
const text: OutputPosition = { escape: 'html', bare: false };
const code: OutputPosition = { escape: 'html-code' };
/** Attributes whose value is code or a document: an event handler, or an iframe's `srcdoc`. */
const isCodeAttribute = (name: string) => name.startsWith('on') || name === 'srcdoc';
const bare: OutputPosition = { escape: 'html', bare: true };
const space = /\s/;

/**
 * Follows an HTML template's literal text (the Liquid in between is skipped) far enough to say
 * where an output lands: text, inside a tag, or a quoted or bare attribute value, and for a URL
 * value the text that opens it (`href="`). Whether an output starts the URL is decided when it
 * renders: it does when the last text written ends with that opening, so whatever was printed
 * in between, by a branch, an `echo` or another output, makes it an output after the start.
 * Made for escaping, not for validating.
 */
export class HtmlScanner {
  private state: State = 'data';
  private tagName = '';
  private closing = false;
  private attribute = '';
  /** The attribute's text from its name to where its value starts (`href="`, with any spaces after the quote). */
  private opening = '';
  private valueHasText = false;

  /** Where an output at the current point lands. */
  position(): OutputPosition {
    const attribute = this.attribute.toLowerCase();
    const url = urlAttributes.has(attribute);
    switch (this.state) {
      case 'raw-text':
        return this.tagName === 'style' ? { escape: 'html-css', bare: false } : code;
      case 'data':
      case 'comment':
      case 'bogus':
        return text;
      case 'before-value':
      case 'value-bare':
        if (isCodeAttribute(attribute)) return code;
        if (attribute === 'style') return { escape: 'html-css', bare: true };
        return url ? { escape: 'html-url', bare: true, opening: this.opening } : bare;
      case 'value-double':
      case 'value-single':
        if (isCodeAttribute(attribute)) return code;
        if (attribute === 'style') return { escape: 'html-css', bare: false };
        return url ? { escape: 'html-url', bare: false, opening: this.opening } : text;
      default:
        return bare;
    }
  }

  /** An output printed here: right after `=` it is the start of a bare value. */
  afterOutput(): void {
    if (this.state === 'before-value') {
      this.state = 'value-bare';
      this.valueHasText = true;
    }
  }

  /** Reads literal text. */
  text(chunk: string): void {
    for (let i = 0; i < chunk.length; i++) i = this.step(chunk, i);
  }

  /** Reads the character at `i` (or a run starting there); returns the index of the last one read. */
  private step(chunk: string, i: number): number {
    const c = chunk[i]!;
    switch (this.state) {
      case 'data':
        if (c === '<') this.state = 'tag-open';
        return i;
      case 'tag-open':
        if (c === '!' && chunk.startsWith('--', i + 1)) {
          this.state = 'comment';
          return i + 2;
        }
        if (c === '!' || c === '?') this.state = 'bogus';
        else if (c === '/') this.state = 'end-tag-open';
        else if (/[a-z]/i.test(c)) this.startTag(c, false);
        else return this.reread('data', i);
        return i;
      case 'end-tag-open':
        if (/[a-z]/i.test(c)) this.startTag(c, true);
        else this.state = c === '>' ? 'data' : 'bogus';
        return i;
      case 'tag-name':
        if (c === '>') this.endTag();
        else if (space.test(c) || c === '/') this.state = 'in-tag';
        else this.tagName += c;
        return i;
      case 'in-tag':
        if (c === '>') this.endTag();
        else if (!space.test(c) && c !== '/') this.startAttribute(c);
        return i;
      case 'attribute-name':
        if (c === '=') this.toValue(c);
        else if (c === '>') this.endTag();
        else if (c === '/') this.state = 'in-tag';
        else if (space.test(c)) {
          this.state = 'after-attribute-name';
          this.opening += c;
        } else {
          this.attribute += c;
          this.opening += c;
        }
        return i;
      case 'after-attribute-name':
        if (c === '=') this.toValue(c);
        else if (c === '>') this.endTag();
        else if (c === '/') this.state = 'in-tag';
        else if (space.test(c)) this.opening += c;
        else this.startAttribute(c);
        return i;
      case 'before-value':
        this.opening += c;
        if (c === '"') this.state = 'value-double';
        else if (c === "'") this.state = 'value-single';
        else if (c === '>') this.endTag();
        else if (!space.test(c)) {
          this.state = 'value-bare';
          this.valueHasText = true;
        }
        return i;
      case 'value-double':
      case 'value-single':
        if (c === (this.state === 'value-double' ? '"' : "'")) this.state = 'in-tag';
        else if (space.test(c) && !this.valueHasText) this.opening += c;
        else this.valueHasText = true;
        return i;
      case 'value-bare':
        if (c === '>') this.endTag();
        else if (space.test(c)) this.state = 'in-tag';
        return i;
      case 'comment':
        return this.skipTo(chunk, i, '-->', 'data');
      case 'raw-text':
        return this.skipTo(chunk, i, `</${this.tagName}`, 'in-tag');
      case 'bogus':
        if (c === '>') this.state = 'data';
        return i;
    }
  }

  private startTag(c: string, closing: boolean) {
    this.state = 'tag-name';
    this.tagName = c.toLowerCase();
    this.closing = closing;
    this.attribute = '';
  }

  private startAttribute(c: string) {
    this.state = 'attribute-name';
    this.attribute = c;
    this.opening = c;
    this.valueHasText = false;
  }

  private toValue(c: string) {
    this.state = 'before-value';
    this.opening += c;
  }

  private endTag() {
    this.tagName = this.tagName.toLowerCase();
    this.state = !this.closing && rawTextElements.has(this.tagName) ? 'raw-text' : 'data';
    this.attribute = '';
  }

  private reread(state: State, i: number): number {
    this.state = state;
    return i - 1;
  }

  /** Skips to the end of `end` (case-insensitive), or to the end of the chunk. */
  private skipTo(chunk: string, i: number, end: string, then: State): number {
    const at = chunk.toLowerCase().indexOf(end, i);
    if (at < 0) return chunk.length - 1;
    this.state = then;
    this.closing = true;
    this.attribute = '';
    return at + end.length - 1;
  }
}
