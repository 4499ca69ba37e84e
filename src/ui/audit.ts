import { lookupEvents } from './api.js';
import { button, errorBox, field, fill, h, time } from './dom.js';
import type { LookupEventsResponse, TrailEvent } from './types.js';

/** The audit log through CloudTrail's LookupEvents: newest first, 50 a page, one lookup attribute. */

const ATTRIBUTES: [string, string][] = [
  ['EventName', 'Event name'],
  ['ResourceName', 'Resource name'],
  ['Username', 'User name'],
  ['AccessKeyId', 'Access key ID'],
  ['ReadOnly', 'Read only (true/false)'],
  ['EventId', 'Event ID'],
];

export function renderAudit(main: HTMLElement): void {
  const key = h(
    'select',
    null,
    ATTRIBUTES.map(([k, label]) => h('option', { value: k }, label)),
  );
  const value = h('input', { type: 'search', autocomplete: 'off', spellcheck: 'false' });
  const error = errorBox();
  const tbody = h('tbody');
  const prev = button('Previous page', () => move(-1));
  const next = button('Next page', () => move(1));
  const info = h('span', { class: 'page-info', 'aria-live': 'polite' });
  let tokens: (string | undefined)[] = [undefined];
  let page = 0;
  const form = h(
    'form',
    { role: 'search', class: 'toolbar' },
    field('Attribute', key),
    field('Value', value),
    h('button', { type: 'submit' }, 'Look up'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    tokens = [undefined];
    page = 0;
    void load();
  });
  fill(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', { tabindex: '-1' }, 'Audit log'),
      h(
        'div',
        { class: 'buttons' },
        button('Refresh', () => void load()),
      ),
    ),
    h('p', { class: 'hint' }, 'Calls and rotation events of this account and Region, newest first (LookupEvents).'),
    form,
    error,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'events' },
        h('caption', { class: 'sr-only' }, 'Audit events'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['Time', 'Event', 'User', 'Resources', 'Result', 'Record'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        tbody,
      ),
    ),
    h('div', { class: 'pager' }, prev, info, next),
  );

  async function load(): Promise<void> {
    error.clear();
    prev.disabled = next.disabled = true;
    const input: Record<string, unknown> = { MaxResults: 50 };
    if (value.value.trim()) input.LookupAttributes = [{ AttributeKey: key.value, AttributeValue: value.value.trim() }];
    const token = tokens[page];
    if (token) input.NextToken = token;
    try {
      const out = await lookupEvents<LookupEventsResponse>(input);
      const events = out.Events ?? [];
      tokens[page + 1] = out.NextToken;
      tokens.length = page + 2;
      prev.disabled = page === 0;
      next.disabled = !out.NextToken;
      info.textContent = `Page ${page + 1}`;
      fill(
        tbody,
        events.length ? events.map(row) : h('tr', null, h('td', { colspan: 6, class: 'empty' }, 'No events.')),
      );
    } catch (e) {
      fill(tbody);
      error.show(e);
    }
  }

  function move(by: number): void {
    page = Math.max(0, page + by);
    void load();
  }

  void load();
}

function row(e: TrailEvent): HTMLTableRowElement[] {
  let record: Record<string, unknown> = {};
  try {
    record = JSON.parse(e.CloudTrailEvent ?? '{}') as Record<string, unknown>;
  } catch {
    // shown as the text it is
  }
  const failed = typeof record.errorCode === 'string' ? record.errorCode : '';
  const detail = h(
    'tr',
    { class: 'record', hidden: true },
    h('td', { colspan: 6 }, h('pre', { class: 'value' }, pretty(e.CloudTrailEvent ?? ''))),
  );
  const toggle = button('Show', () => {
    detail.hidden = !detail.hidden;
    toggle.textContent = detail.hidden ? 'Show' : 'Hide';
    toggle.setAttribute('aria-expanded', String(!detail.hidden));
  });
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-label', `Record of ${e.EventName ?? 'event'} ${e.EventId ?? ''}`.trim());
  toggle.className = 'small';
  return [
    h(
      'tr',
      null,
      h('td', null, time(e.EventTime)),
      h('td', null, e.EventName ?? ''),
      h('td', null, e.Username ?? ''),
      h('td', { class: 'break' }, (e.Resources ?? []).map((r) => r.ResourceName ?? '').join(', ')),
      h('td', { class: failed ? 'failed' : null }, failed || 'OK'),
      h('td', null, toggle),
    ),
    detail,
  ];
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
