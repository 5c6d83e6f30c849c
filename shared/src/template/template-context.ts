/**
 * Where a template's text lands, which decides how each `{{ … }}` output is escaped (SPEC L3–L6).
 * An output whose last filter is `raw` is printed as it is in every context.
 *
 * - `text`: plain text (SMS, push and in-app text, email text body, profile values): as it is.
 * - `line`: a header-like single line (subject, preheader, from name, webhook header values): as
 *   it is, and CR/LF anywhere in the rendered value become spaces.
 * - `html`: HTML-escaped; in a URL attribute an output at the start of the value must be a safe
 *   URL or becomes `#`, one after the start is URL-encoded.
 * - `url`: a URL field: at the start, `javascript:`/`data:`/`vbscript:` URLs become `#`; after the
 *   start, URL-encoded.
 * - `json`: a JSON body: JSON-string-escaped inside a string literal, a JSON value outside one;
 *   the `json` filter's output is trusted.
 */
export type TemplateContext = 'text' | 'line' | 'html' | 'url' | 'json';

/** How one output is escaped, as found from its place in the template's source. */
export type OutputPosition =
  | { escape: 'none' }
  | { escape: 'html'; bare: boolean }
  /** Inside a `style` attribute or element: CSS, where an outside value could add a rule or load a URL. */
  | { escape: 'html-css'; bare: boolean }
  /** Inside a script, an event attribute (`onclick`) or `srcdoc`: code the browser runs or parses, where no outside value may go. */
  | { escape: 'html-code' }
  | { escape: 'html-url'; bare: boolean; opening: string }
  | { escape: 'url' }
  | { escape: 'json-string' }
  | { escape: 'json-value' };
