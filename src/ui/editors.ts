import { button, field, fill, h, uid } from './dom.js';
import type { Tag } from './types.js';

/** Rows of key/value inputs (tags; a JSON secret's members), with Add and Remove buttons. */
export interface PairsEditor {
  readonly element: HTMLElement;
  pairs(): [string, string][];
  set(pairs: [string, string][]): void;
}

interface PairsLabels {
  readonly key: string;
  readonly value: string;
  readonly add: string;
  readonly remove: string;
  readonly empty: string;
}

export function pairsEditor(labels: PairsLabels, initial: [string, string][]): PairsEditor {
  let rows: [string, string][] = initial.map(([k, v]) => [k, v]);
  const body = h('div', { class: 'pairs-rows' });
  const render = (focusRow?: number) => {
    if (rows.length === 0) {
      fill(body, h('p', { class: 'hint' }, labels.empty));
      return;
    }
    fill(
      body,
      rows.map((row, i) => {
        const n = i + 1;
        const key = h('input', {
          type: 'text',
          'aria-label': `${labels.key} ${n}`,
          value: row[0],
          spellcheck: 'false',
        });
        const value = h('input', { type: 'text', 'aria-label': `${labels.value} ${n}`, value: row[1] });
        key.addEventListener('input', () => (row[0] = key.value));
        value.addEventListener('input', () => (row[1] = value.value));
        return h(
          'div',
          { class: 'pair' },
          key,
          value,
          button(
            'Remove',
            () => {
              rows.splice(i, 1);
              render(Math.min(i, rows.length - 1));
            },
            { 'aria-label': `${labels.remove} ${n}`, class: 'small' },
          ),
        );
      }),
    );
    if (focusRow !== undefined && focusRow >= 0) body.querySelectorAll('input')[focusRow * 2]?.focus();
  };
  render();
  const head = h(
    'div',
    { class: 'pair pair-head', 'aria-hidden': 'true' },
    h('span', null, 'Key'),
    h('span', null, 'Value'),
  );
  const element = h(
    'div',
    { class: 'pairs' },
    head,
    body,
    button(
      labels.add,
      () => {
        rows.push(['', '']);
        render(rows.length - 1);
      },
      { class: 'small' },
    ),
  );
  return {
    element,
    pairs: () => rows.map(([k, v]) => [k, v]),
    set(p) {
      rows = p.map(([k, v]) => [k, v]);
      render();
    },
  };
}

export interface TagsEditor {
  readonly element: HTMLElement;
  /** the tags entered; throws when a key is empty or repeated */
  tags(): Tag[];
}

export function tagsEditor(initial: Tag[] = []): TagsEditor {
  const editor = pairsEditor(
    { key: 'Tag key', value: 'Tag value', add: 'Add tag', remove: 'Remove tag', empty: 'No tags.' },
    initial.map((t) => [t.Key, t.Value]),
  );
  const legend = h('legend', null, 'Tags');
  return {
    element: h('fieldset', null, legend, editor.element),
    tags() {
      const seen = new Set<string>();
      return editor.pairs().map(([Key, Value]) => {
        if (!Key) throw new Error('Every tag needs a key.');
        if (seen.has(Key)) throw new Error(`The tag key ${Key} appears twice.`);
        seen.add(Key);
        return { Key, Value };
      });
    },
  };
}

export type SecretInput = { SecretString: string } | { SecretBinary: string } | undefined;
type Kind = 'string' | 'json' | 'binary';

export interface ValueEditor {
  readonly element: HTMLElement;
  /** the value as the API takes it, undefined when empty; throws when it is not valid for its type */
  value(): SecretInput;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A flat JSON object of strings (what the key/value view edits), else undefined. */
export function flatObject(text: string): [string, string][] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.every(([, x]) => typeof x === 'string') ? (entries as [string, string][]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The secret value: plaintext, JSON key/value pairs, or binary (base64). Starts from `initial` (a value the user
 * revealed) or empty.
 */
export function valueEditor(initial?: { string?: string; binary?: string }): ValueEditor {
  const name = uid('kind');
  const text = h('textarea', { rows: 4, spellcheck: 'false', autocomplete: 'off' });
  const textField = field('Secret value', text, 'Plaintext, or base64 for a binary value.');
  const kv = pairsEditor({ key: 'Key', value: 'Value', add: 'Add row', remove: 'Remove row', empty: 'No rows.' }, []);
  const kvBox = h('fieldset', { hidden: true }, h('legend', null, 'Key/value pairs'), kv.element);
  let kind: Kind = 'string';
  const radio = (value: Kind, label: string) => {
    const input = h('input', { type: 'radio', name, value, checked: value === kind });
    input.addEventListener('change', () => switchTo(value));
    return h('label', { class: 'inline' }, input, ` ${label}`);
  };
  const switchTo = (next: Kind) => {
    if (next === 'json' && kind !== 'json') kv.set(flatObject(text.value) ?? (text.value ? [] : [['', '']]));
    if (next !== 'json' && kind === 'json') {
      const pairs = kv.pairs().filter(([k]) => k !== '');
      text.value = pairs.length ? JSON.stringify(Object.fromEntries(pairs)) : '';
    }
    kind = next;
    kvBox.hidden = next !== 'json';
    textField.hidden = next === 'json';
  };
  const radios = [radio('string', 'Plaintext'), radio('json', 'Key/value'), radio('binary', 'Binary (base64)')];
  const element = h(
    'div',
    { class: 'value-editor' },
    h('fieldset', { class: 'kinds' }, h('legend', null, 'Secret type'), radios),
    textField,
    kvBox,
  );
  if (initial?.binary !== undefined) {
    text.value = initial.binary;
    (radios[2]!.firstChild as HTMLInputElement).checked = true;
    switchTo('binary');
  } else if (initial?.string !== undefined) {
    text.value = initial.string;
    if (flatObject(initial.string)) {
      (radios[1]!.firstChild as HTMLInputElement).checked = true;
      switchTo('json');
    }
  }
  return {
    element,
    value() {
      if (kind === 'json') {
        const out: Record<string, string> = {};
        for (const [k, v] of kv.pairs()) {
          if (!k && !v) continue;
          if (!k) throw new Error('Every key/value row needs a key.');
          if (k in out) throw new Error(`The key ${k} appears twice.`);
          out[k] = v;
        }
        return Object.keys(out).length ? { SecretString: JSON.stringify(out) } : undefined;
      }
      if (kind === 'binary') {
        const b64 = text.value.replace(/\s+/g, '');
        if (!BASE64.test(b64)) throw new Error('The binary value must be base64 (A-Z, a-z, 0-9, +, /, = padding).');
        return b64 ? { SecretBinary: b64 } : undefined;
      }
      return text.value ? { SecretString: text.value } : undefined;
    },
  };
}
