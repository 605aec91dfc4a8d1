/**
 * The one place that knows about @vscode/webview-ui-toolkit (deprecated upstream): the rest of
 * the panel asks for "a button" or "a dropdown" here, so the toolkit can be swapped for plain
 * elements or another library by rewriting this file alone.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDropdown, vsCodeOption } from '@vscode/webview-ui-toolkit';
import { custom, icon } from './dom';

let registered = false;

/** Defines the custom elements once per page. */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption());
}

export interface ButtonHandle {
  readonly element: HTMLElement;
  setDisabled(disabled: boolean): void;
  setIcon(name: string): void;
  setLabel(label: string): void;
}

/**
 * The behaviour both kinds of button share: clicks are ignored while disabled (the toolkit's
 * element still dispatches them), and the leading glyph can be swapped (play ↔ pause).
 */
function buttonHandle(
  el: HTMLElement,
  glyph: HTMLElement | null,
  onClick: () => void,
  setLabel: (label: string) => void,
): ButtonHandle {
  el.addEventListener('click', () => {
    if (!el.hasAttribute('disabled')) onClick();
  });
  return {
    element: el,
    setDisabled: (d) => el.toggleAttribute('disabled', d),
    setIcon: (name) => {
      if (glyph) glyph.className = `codicon codicon-${name}`;
    },
    setLabel,
  };
}

/** An icon-only button with an accessible name (also shown as its tooltip). */
export function iconButton(opts: {
  readonly icon: string;
  readonly label: string;
  readonly id?: string;
  readonly onClick: () => void;
}): ButtonHandle {
  const glyph = icon(opts.icon);
  const el = custom(
    'vscode-button',
    { attrs: { appearance: 'icon', 'aria-label': opts.label, title: opts.label, id: opts.id } },
    glyph,
  );
  return buttonHandle(el, glyph, opts.onClick, (label) => {
    el.setAttribute('aria-label', label);
    el.setAttribute('title', label);
  });
}

/** A button with a text label (and an optional leading icon). */
export function textButton(opts: {
  readonly label: string;
  readonly icon?: string;
  readonly title?: string;
  readonly secondary?: boolean;
  readonly id?: string;
  readonly onClick: () => void;
}): ButtonHandle {
  const glyph = opts.icon ? icon(opts.icon) : null;
  if (glyph) glyph.setAttribute('slot', 'start');
  const el = custom(
    'vscode-button',
    { attrs: { appearance: opts.secondary ? 'secondary' : 'primary', title: opts.title ?? opts.label, id: opts.id } },
    glyph,
    opts.label,
  );
  return buttonHandle(el, glyph, opts.onClick, (label) => {
    el.lastChild!.textContent = label;
  });
}

export interface DropdownHandle {
  readonly element: HTMLElement;
  setOptions(options: readonly { readonly value: string; readonly text: string }[], selected: string): void;
  setValue(value: string): void;
}

export function dropdown(opts: {
  readonly label: string;
  readonly id?: string;
  readonly onChange: (value: string) => void;
}): DropdownHandle {
  const el = custom('vscode-dropdown', {
    attrs: { 'aria-label': opts.label, title: opts.label, id: opts.id },
  }) as HTMLElement & { value: string };
  let settingUp = false;
  el.addEventListener('change', () => {
    if (!settingUp) opts.onChange(el.value);
  });
  return {
    element: el,
    setOptions(options, selected) {
      settingUp = true;
      el.replaceChildren(
        ...options.map((o) =>
          custom('vscode-option', { attrs: { value: o.value, selected: o.value === selected }, text: o.text }),
        ),
      );
      el.value = selected;
      settingUp = false;
    },
    setValue(value) {
      settingUp = true;
      el.value = value;
      settingUp = false;
    },
  };
}
