/** Views by the location's hash: `#/` the list, `#/secret/<ARN>` a secret, `#/audit` the audit log. */

export type Route = { view: 'list' } | { view: 'secret'; id: string } | { view: 'audit' };

export function parseRoute(hash: string): Route {
  const m = /^#\/secret\/(.+)$/.exec(hash);
  if (m) {
    try {
      return { view: 'secret', id: decodeURIComponent(m[1]!) };
    } catch {
      return { view: 'list' };
    }
  }
  if (hash === '#/audit') return { view: 'audit' };
  return { view: 'list' };
}

let render: () => void = () => undefined;

export function onRoute(fn: () => void): void {
  render = fn;
  window.addEventListener('hashchange', () => render());
}

/** Shows a view; the same hash again renders it again (after a change). */
export function go(hash: string): void {
  if (location.hash === hash) render();
  else location.hash = hash;
}
