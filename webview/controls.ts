/**
 * Stepping controls: first, previous, play/pause, next, last, a slider over every event, the
 * step and example pickers for a batch run of several steps, and the export actions. Every
 * control has an accessible name; the global keys (← → Home End Space) live in app.ts.
 */
import { h } from './dom';
import { ButtonHandle, DropdownHandle, dropdown, iconButton, textButton } from './toolkit';
import { DocumentData } from '../src/protocol';

/** Runs up to this many steps get a dropdown of steps (with their loss); longer ones the loss chart's step field. */
const MAX_STEP_OPTIONS = 200;

export interface ControlHandlers {
  first: () => void;
  previous: () => void;
  togglePlay: () => void;
  next: () => void;
  last: () => void;
  seek: (index: number) => void;
  goStep: (step: number) => void;
  example: (n: number) => void;
  export(what: 'markdown' | 'latex' | 'svg' | 'png'): void;
}

export class Controls {
  readonly element: HTMLElement;
  private readonly buttons: Record<'first' | 'previous' | 'play' | 'next' | 'last', ButtonHandle>;
  private readonly slider: HTMLInputElement;
  private readonly position: HTMLElement;
  private readonly stepPicker: DropdownHandle;
  private readonly examplePicker: DropdownHandle;
  private readonly pickers: HTMLElement;

  constructor(handlers: ControlHandlers) {
    this.buttons = {
      first: iconButton({
        icon: 'debug-reverse-continue',
        label: 'First event (Home)',
        id: 'btn-first',
        onClick: handlers.first,
      }),
      previous: iconButton({
        icon: 'chevron-left',
        label: 'Previous event (←)',
        id: 'btn-previous',
        onClick: handlers.previous,
      }),
      play: iconButton({ icon: 'play', label: 'Play (Space)', id: 'btn-play', onClick: handlers.togglePlay }),
      next: iconButton({ icon: 'chevron-right', label: 'Next event (→)', id: 'btn-next', onClick: handlers.next }),
      last: iconButton({ icon: 'debug-continue', label: 'Last event (End)', id: 'btn-last', onClick: handlers.last }),
    };
    this.slider = h('input', {
      class: 'slider',
      attrs: { type: 'range', min: 0, max: 0, value: 0, step: 1, id: 'slider', 'aria-label': 'Position in the trace' },
    });
    this.slider.addEventListener('input', () => handlers.seek(Number(this.slider.value)));
    this.position = h('span', { class: 'position', attrs: { id: 'position', 'aria-hidden': 'true' } });
    this.stepPicker = dropdown({
      label: 'Training step',
      id: 'step-picker',
      onChange: (v) => handlers.goStep(Number(v)),
    });
    this.examplePicker = dropdown({
      label: 'Example of the batch',
      id: 'example-picker',
      onChange: (v) => handlers.example(Number(v)),
    });
    // A longer run picks its step in the loss chart (a labelled field beside it): lossChart.ts.
    this.pickers = h('div', { class: 'pickers' }, this.stepPicker.element, this.examplePicker.element);
    const exports = h(
      'div',
      { class: 'exports', attrs: { role: 'group', 'aria-label': 'Export' } },
      ...(
        [
          ['markdown', 'markdown', 'Markdown', 'Save this step as Markdown'],
          ['latex', 'file-code', 'LaTeX', 'Save this step as LaTeX'],
          ['svg', 'file-media', 'SVG', 'Save the diagram as SVG'],
          ['png', 'device-camera', 'PNG', 'Save the diagram as PNG'],
        ] as const
      ).map(
        ([what, ic, label, title]) =>
          textButton({
            label,
            icon: ic,
            title,
            secondary: true,
            id: `export-${what}`,
            onClick: () => handlers.export(what),
          }).element,
      ),
    );
    this.element = h(
      'div',
      { class: 'controls' },
      h(
        'div',
        { class: 'buttons', attrs: { role: 'group', 'aria-label': 'Stepping' } },
        ...Object.values(this.buttons).map((b) => b.element),
      ),
      this.slider,
      this.position,
      this.pickers,
      exports,
    );
  }

  /** New trace: the slider's range and the pickers' options. */
  setDocument(doc: DocumentData, fmt: (x: number) => string): void {
    const L = doc.widths.length - 1;
    this.slider.max = String(doc.losses.length * (3 * L + 1) - 1);
    const steps = doc.losses.length;
    this.stepPicker.element.hidden = steps < 2 || steps > MAX_STEP_OPTIONS;
    if (steps > 1 && steps <= MAX_STEP_OPTIONS)
      this.stepPicker.setOptions(
        Array.from(doc.losses, (v, i) => ({ value: String(i + 1), text: `Step ${i + 1} · L = ${fmt(v)}` })),
        '1',
      );
    this.examplePicker.element.hidden = doc.batch < 2;
    if (doc.batch > 1)
      this.examplePicker.setOptions(
        Array.from({ length: doc.batch }, (_, i) => ({ value: String(i), text: `Example ${i + 1} of ${doc.batch}` })),
        '0',
      );
    this.pickers.hidden = (steps < 2 || steps > MAX_STEP_OPTIONS) && doc.batch < 2;
  }

  update(index: number, total: number, step: number, example: number, playing: boolean, label: string): void {
    // A button that becomes disabled would drop keyboard focus to the page; hand it to the slider.
    const atEnd = index >= total - 1,
      atStart = index === 0;
    const focused = Object.entries(this.buttons).find(([, b]) => b.element === document.activeElement)?.[0];
    if (
      (atStart && (focused === 'first' || focused === 'previous')) ||
      (atEnd && (focused === 'next' || focused === 'last'))
    )
      this.slider.focus();
    this.slider.value = String(index);
    this.slider.setAttribute('aria-valuetext', `${label}, event ${index + 1} of ${total}`);
    this.position.textContent = `${index + 1} / ${total}`;
    this.buttons.first.setDisabled(atStart);
    this.buttons.previous.setDisabled(atStart);
    this.buttons.next.setDisabled(atEnd);
    this.buttons.last.setDisabled(atEnd);
    this.buttons.play.setIcon(playing ? 'debug-pause' : 'play');
    this.buttons.play.setLabel(playing ? 'Pause (Space)' : 'Play (Space)');
    this.stepPicker.setValue(String(step));
    this.examplePicker.setValue(String(example));
  }
}
