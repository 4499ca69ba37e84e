import { session, sm } from './api.js';
import { announce, button, errorBox, field, fill, h, time } from './dom.js';
import { deleteDialog } from './actions.js';
import { createDialog } from './create.js';
import { go } from './router.js';
import type { ListSecretsResponse, SecretEntry } from './types.js';

/**
 * The secrets of the account and Region, a page at a time (ListSecrets with MaxResults and NextToken: never the
 * whole list), searched with ListSecrets Filters and sorted with SortBy/SortOrder as the server sorts.
 */

type SortBy = 'name' | 'created-date' | 'last-changed-date' | 'last-accessed-date';
type FilterKey = 'all' | 'name' | 'description' | 'tag-key' | 'tag-value';

interface ListState {
  filterKey: FilterKey;
  filterText: string;
  sortBy: SortBy;
  sortOrder: 'asc' | 'desc';
  pageSize: number;
  includeDeleted: boolean;
  /** the NextToken that fetches each page seen so far (the first page's is undefined) */
  tokens: (string | undefined)[];
  page: number;
}

const state: ListState = {
  filterKey: 'all',
  filterText: '',
  sortBy: 'name',
  sortOrder: 'asc',
  pageSize: 25,
  includeDeleted: false,
  tokens: [undefined],
  page: 0,
};

/** Back to the first page (another account, Region, search or order). */
export function resetPaging(): void {
  state.tokens = [undefined];
  state.page = 0;
}

const FILTERS: [FilterKey, string][] = [
  ['all', 'All fields'],
  ['name', 'Name'],
  ['description', 'Description'],
  ['tag-key', 'Tag key'],
  ['tag-value', 'Tag value'],
];

const COLUMNS: [SortBy | undefined, string, string][] = [
  ['name', 'Name', ''],
  [undefined, 'Description', 'wide'],
  ['last-changed-date', 'Last changed', 'wide'],
  ['last-accessed-date', 'Last accessed', 'wider'],
  ['created-date', 'Created', 'wider'],
  [undefined, 'Status', ''],
];

export function renderList(main: HTMLElement): void {
  const selected = new Map<string, string>(); // ARN -> name
  const error = errorBox();
  const tbody = h('tbody');
  const pageInfo = h('span', { class: 'page-info', 'aria-live': 'polite' });
  const prev = button('Previous page', () => move(-1));
  const next = button('Next page', () => move(1));
  const deleteSelected = button('Delete selected', () => bulkDelete(), { class: 'danger', disabled: true });
  const selectAll = h('input', { type: 'checkbox', 'aria-label': 'Select all on this page' });
  let rows: SecretEntry[] = [];

  const updateSelection = () => {
    deleteSelected.disabled = selected.size === 0;
    deleteSelected.textContent = selected.size ? `Delete selected (${selected.size})` : 'Delete selected';
    const boxes = Array.from(tbody.querySelectorAll<HTMLInputElement>('input[type=checkbox]'));
    selectAll.checked = boxes.length > 0 && boxes.every((b) => b.checked);
    selectAll.indeterminate = !selectAll.checked && boxes.some((b) => b.checked);
  };
  selectAll.addEventListener('change', () => {
    for (const s of rows) {
      if (selectAll.checked) selected.set(s.ARN, s.Name);
      else selected.delete(s.ARN);
    }
    for (const b of tbody.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) b.checked = selectAll.checked;
    updateSelection();
  });

  // search
  const filterKey = h(
    'select',
    null,
    FILTERS.map(([k, label]) => h('option', { value: k, selected: k === state.filterKey }, label)),
  );
  const search = h('input', {
    type: 'search',
    value: state.filterText,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'prefix of a name, tag, description',
  });
  const includeDeleted = h('input', { type: 'checkbox', checked: state.includeDeleted });
  const pageSize = h(
    'select',
    null,
    [10, 25, 50, 100].map((n) => h('option', { value: n, selected: n === state.pageSize }, String(n))),
  );
  const searchForm = h(
    'form',
    { role: 'search', class: 'toolbar' },
    field('Filter by', filterKey),
    field('Search', search),
    h('button', { type: 'submit' }, 'Search'),
    button('Clear', () => {
      search.value = '';
      state.filterText = '';
      resetPaging();
      void load();
    }),
  );
  searchForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.filterKey = filterKey.value as FilterKey;
    state.filterText = search.value.trim();
    resetPaging();
    void load();
  });
  includeDeleted.addEventListener('change', () => {
    state.includeDeleted = includeDeleted.checked;
    resetPaging();
    void load();
  });
  pageSize.addEventListener('change', () => {
    state.pageSize = Number(pageSize.value);
    resetPaging();
    void load();
  });

  const headRow = h(
    'tr',
    null,
    h('th', { scope: 'col', class: 'check' }, selectAll),
    COLUMNS.map(([key, label, cls]) => {
      const th = h('th', { scope: 'col', class: cls || null });
      if (!key) {
        th.textContent = label;
        return th;
      }
      const active = state.sortBy === key;
      th.setAttribute('aria-sort', active ? (state.sortOrder === 'asc' ? 'ascending' : 'descending') : 'none');
      th.appendChild(
        button(
          label,
          () => {
            if (state.sortBy === key) state.sortOrder = state.sortOrder === 'asc' ? 'desc' : 'asc';
            else [state.sortBy, state.sortOrder] = [key, key === 'name' ? 'asc' : 'desc'];
            resetPaging();
            renderList(main);
            main.querySelector<HTMLButtonElement>(`th[aria-sort]:not([aria-sort=none]) button`)?.focus();
          },
          { class: 'sort' },
        ),
      );
      th.lastChild!.appendChild(
        h('span', { class: 'arrow', 'aria-hidden': 'true' }, active ? (state.sortOrder === 'asc' ? ' ▲' : ' ▼') : ''),
      );
      return th;
    }),
  );

  fill(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', { tabindex: '-1' }, 'Secrets'),
      h(
        'div',
        { class: 'buttons' },
        button('Refresh', () => void load()),
        deleteSelected,
        button('Create secret', () => createDialog(), { class: 'primary' }),
      ),
    ),
    searchForm,
    h(
      'div',
      { class: 'toolbar' },
      h('label', { class: 'inline' }, includeDeleted, ' Show secrets scheduled for deletion'),
    ),
    error,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'secrets' },
        h('caption', { class: 'sr-only' }, 'Secrets, sortable by the column buttons'),
        h('thead', null, headRow),
        tbody,
      ),
    ),
    h('div', { class: 'pager' }, prev, pageInfo, next, field('Page size', pageSize)),
  );

  let loads = 0;
  async function load(): Promise<void> {
    const mine = ++loads;
    error.clear();
    tbody.setAttribute('aria-busy', 'true');
    prev.disabled = next.disabled = true;
    const input: Record<string, unknown> = {
      MaxResults: state.pageSize,
      SortBy: state.sortBy,
      SortOrder: state.sortOrder,
    };
    if (state.filterText) input.Filters = [{ Key: state.filterKey, Values: [state.filterText] }];
    if (state.includeDeleted) input.IncludePlannedDeletion = true;
    const token = state.tokens[state.page];
    if (token) input.NextToken = token;
    try {
      const out = await sm<ListSecretsResponse>('ListSecrets', input);
      if (mine !== loads) return; // a newer search or page was asked for meanwhile
      rows = out.SecretList ?? [];
      state.tokens[state.page + 1] = out.NextToken;
      state.tokens.length = state.page + 2;
      renderRows();
      prev.disabled = state.page === 0;
      next.disabled = !out.NextToken;
      const first = state.page * state.pageSize + 1;
      pageInfo.textContent = rows.length
        ? `Page ${state.page + 1}: secrets ${first}-${first + rows.length - 1}`
        : `Page ${state.page + 1}`;
    } catch (e) {
      if (mine !== loads) return;
      rows = [];
      fill(tbody);
      pageInfo.textContent = '';
      error.show(e);
    } finally {
      tbody.removeAttribute('aria-busy');
    }
  }

  function renderRows(): void {
    if (rows.length === 0) {
      const what = state.filterText ? 'No secrets match this search.' : `No secrets in ${session.region}.`;
      fill(tbody, h('tr', null, h('td', { colspan: COLUMNS.length + 1, class: 'empty' }, what)));
      updateSelection();
      return;
    }
    fill(
      tbody,
      rows.map((s) => {
        const box = h('input', { type: 'checkbox', 'aria-label': `Select ${s.Name}`, checked: selected.has(s.ARN) });
        box.addEventListener('change', () => {
          if (box.checked) selected.set(s.ARN, s.Name);
          else selected.delete(s.ARN);
          updateSelection();
        });
        const status: string[] = [];
        if (s.DeletedDate !== undefined) status.push('Scheduled for deletion');
        if (s.RotationEnabled) status.push('Rotation on');
        if (s.PrimaryRegion && s.PrimaryRegion !== session.region) status.push(`Replica of ${s.PrimaryRegion}`);
        return h(
          'tr',
          { class: s.DeletedDate !== undefined ? 'deleted' : null },
          h('td', { class: 'check' }, box),
          h('th', { scope: 'row' }, h('a', { href: `#/secret/${encodeURIComponent(s.ARN)}` }, s.Name)),
          h('td', { class: 'wide desc' }, s.Description ?? ''),
          h('td', { class: 'wide' }, time(s.LastChangedDate)),
          h('td', { class: 'wider' }, time(s.LastAccessedDate)),
          h('td', { class: 'wider' }, time(s.CreatedDate)),
          h('td', null, status.join(', ')),
        );
      }),
    );
    updateSelection();
  }

  function move(by: number): void {
    state.page = Math.max(0, state.page + by);
    void load().then(() => {
      const target = by > 0 ? next : prev;
      (target.disabled ? (by > 0 ? prev : next) : target).focus();
    });
  }

  function bulkDelete(): void {
    const targets = [...selected.entries()];
    deleteDialog(
      targets.map(([arn, name]) => ({ arn, name })),
      (deleted) => {
        for (const arn of deleted) selected.delete(arn);
        announce(`Deleted ${deleted.length} of ${targets.length} secrets.`);
        void load();
      },
    );
  }

  void load();
}

/** After a create: the list (if shown again) starts over. */
export function listChanged(): void {
  resetPaging();
}

export const openSecret = (arn: string): void => go(`#/secret/${encodeURIComponent(arn)}`);
