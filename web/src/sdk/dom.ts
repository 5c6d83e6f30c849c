/** Creates an element with attributes and children, text always as text (never parsed as HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: (Node | string | null)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null) element.append(child);
  return element;
}

const svgNs = 'http://www.w3.org/2000/svg';

/** A 24×24 stroked icon (lucide's paths), built node by node so sites enforcing Trusted Types accept it. */
export function icon(paths: string[]): SVGSVGElement {
  const svg = document.createElementNS(svgNs, 'svg');
  const attributes = {
    viewBox: '0 0 24 24',
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '2',
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
    'aria-hidden': 'true',
    focusable: 'false',
  };
  for (const [name, value] of Object.entries(attributes)) svg.setAttribute(name, value);
  for (const d of paths) {
    const path = document.createElementNS(svgNs, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** lucide `bell` and `x` (ISC licence). */
export const bellPaths = ['M10.268 21a2 2 0 0 0 3.464 0', 'M3.262 15.326A1 1 0 0 0 4 17h16a1 1 0 0 0 .74-1.673C19.41 13.956 18 12.499 18 8A6 6 0 0 0 6 8c0 4.499-1.411 5.956-2.738 7.326'];
export const closePaths = ['M18 6 6 18', 'm6 6 12 12'];

/** The stylesheet as a constructed sheet where supported: a site's CSP without 'unsafe-inline' blocks `<style>` but not these. */
export function adoptStyles(root: ShadowRoot, css: string) {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else root.append(h('style', {}, css));
}
