/**
 * Tiny element builders. Styling goes through classes and the CSSOM (`el.style.x = …`), never
 * through `style` attributes: the panel's CSP has no 'unsafe-inline' for styles.
 */
type Child = Node | string | null | undefined | false;

export interface Props {
  readonly class?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string | number | boolean | undefined>>;
}

function apply(el: Element, props: Props | undefined, children: readonly Child[]): void {
  if (props?.class) el.setAttribute('class', props.class);
  if (props?.attrs)
    for (const [k, v] of Object.entries(props.attrs))
      if (v !== undefined && v !== false) el.setAttribute(k, v === true ? '' : String(v));
  if (props?.text !== undefined) el.textContent = props.text;
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, props, children);
  return el;
}

/** A custom element (the toolkit's vscode-button, …), untyped beyond HTMLElement. */
export function custom(tag: `${string}-${string}`, props?: Props, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  apply(el, props, children);
  return el;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs?: Readonly<Record<string, string | number | undefined>>,
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs ? { attrs } : undefined, children);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

/** A codicon (bundled font; see media/ and scripts/build.mjs). */
export function icon(name: string, label?: string): HTMLSpanElement {
  return h('span', {
    class: `codicon codicon-${name}`,
    attrs: label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': 'true' },
  });
}
