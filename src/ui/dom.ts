/**
 * The one way the console makes DOM: elements with attributes and text children. Data only ever becomes text
 * (createTextNode) or an attribute value (setAttribute): nothing here parses HTML, and event handlers are
 * functions, never strings.
 */

export type Child = Node | string | number | null | undefined | false;
/** Children, in arrays as deep as a view builds them. */
export type Children = Child | readonly Children[];
type Handler = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Children[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      if (!name.startsWith('on')) throw new Error(`a handler for ${name}`);
      el.addEventListener(name.slice(2), value);
    } else if (name.startsWith('on')) {
      throw new Error(`event attribute ${name} as a string`);
    } else {
      el.setAttribute(name === 'className' ? 'class' : name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Children[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c as readonly Children[]);
    else if (typeof c === 'string' || typeof c === 'number') parent.appendChild(document.createTextNode(String(c)));
    else parent.appendChild(c as Node);
  }
}

/** Replaces an element's children. */
export function fill(parent: Element, ...children: Children[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let ids = 0;
export const uid = (prefix: string): string => `${prefix}-${++ids}`;

/** A labelled form control: `<div class="field"><label for=id>text</label>control hint</div>`. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLDivElement {
  control.id ||= uid('f');
  const out = h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
  if (hint) {
    const hintId = uid('hint');
    control.setAttribute('aria-describedby', hintId);
    out.appendChild(h('p', { class: 'hint', id: hintId }, hint));
  }
  return out;
}

export function button(label: string, onclick: Handler, attrs: Attrs = {}): HTMLButtonElement {
  return h('button', { type: 'button', ...attrs, onclick }, label);
}

/** Epoch seconds (as AWS JSON sends dates) as a `<time>` in the reader's locale. */
export function time(seconds: number | undefined): Node {
  if (seconds === undefined) return document.createTextNode('-');
  const d = new Date(seconds * 1000);
  return h('time', { datetime: d.toISOString(), title: d.toISOString() }, d.toLocaleString());
}

/** A description list of label/value pairs (values absent are shown as "-"). */
export function details(rows: [string, Children][]): HTMLDListElement {
  return h(
    'dl',
    { class: 'props' },
    rows.map(([k, v]) =>
      h('div', null, h('dt', null, k), h('dd', null, v === undefined || v === null || v === '' ? '-' : v)),
    ),
  );
}

const status = () => document.getElementById('status')!;

/** Announces a success in the page's live region (and shows it). */
export function announce(message: string): void {
  const el = status();
  fill(
    el,
    h('span', null, message),
    button('Dismiss', () => fill(el), { class: 'link' }),
  );
}

/** Clears the live region (a message about another account or Region would mislead). */
export function clearStatus(): void {
  fill(status());
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** An inline error box that screen readers announce. */
export function errorBox(): HTMLParagraphElement & { show(e: unknown): void; clear(): void } {
  const p = h('p', { class: 'error', role: 'alert', hidden: true }) as HTMLParagraphElement & {
    show(e: unknown): void;
    clear(): void;
  };
  p.show = (e) => {
    p.hidden = false;
    p.textContent = errorText(e);
  };
  p.clear = () => {
    p.hidden = true;
    p.textContent = '';
  };
  return p;
}

export interface DialogOptions {
  readonly title: string;
  /** the submit button's label */
  readonly submit: string;
  /** a destructive action: the submit button is red */
  readonly danger?: boolean;
  /** the body; return a function that acts on submit (throw to show an error and keep the dialog open) */
  build(form: HTMLFormElement): Children[];
  onSubmit(): Promise<void> | void;
}

/**
 * A modal dialog (the native <dialog>: focus is trapped inside and Escape closes it) around a form. Focus goes to
 * the first field (or the element marked autofocus) and back to the opener when it closes.
 */
export function openDialog(opts: DialogOptions): HTMLDialogElement {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = uid('dlg');
  const error = errorBox();
  const form = h('form', { class: 'dialog-form', novalidate: true });
  const submit = h('button', { type: 'submit', class: opts.danger ? 'danger' : 'primary' }, opts.submit);
  const dialog = h(
    'dialog',
    { 'aria-labelledby': titleId },
    h(
      'div',
      { class: 'dialog-head' },
      h('h2', { id: titleId }, opts.title),
      button('×', () => dialog.close(), { class: 'icon', 'aria-label': 'Close' }),
    ),
    form,
  );
  append(form, opts.build(form));
  append(form, [
    error,
    h(
      'div',
      { class: 'actions' },
      button('Cancel', () => dialog.close()),
      submit,
    ),
  ]);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!form.reportValidity()) return;
    error.clear();
    submit.disabled = true;
    Promise.resolve()
      .then(() => opts.onSubmit())
      .then(
        () => dialog.close(),
        (e: unknown) => {
          submit.disabled = false;
          error.show(e);
        },
      );
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
    else refocus(opener);
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  const first =
    form.querySelector<HTMLElement>('[autofocus]') ?? form.querySelector<HTMLElement>('input, select, textarea');
  first?.focus();
  return dialog;
}

/** Focus back on the control that opened a dialog, or the one that replaced it in a view drawn again. */
function refocus(opener: HTMLElement | null): void {
  const main = document.getElementById('main');
  const same = opener
    ? Array.from(main?.querySelectorAll<HTMLElement>('button') ?? []).find(
        (b) =>
          b.textContent === opener.textContent && b.getAttribute('aria-label') === opener.getAttribute('aria-label'),
      )
    : undefined;
  (same ?? main?.querySelector<HTMLElement>('h1'))?.focus();
}
