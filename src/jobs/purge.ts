import type { Store } from '../store/Store.js';
import { isPurgeable } from '../domain/lifecycle.js';
import type { Job } from './runner.js';

/**
 * Removes secrets whose recovery window has passed. Until it runs they are already invisible (every lookup
 * asks the clock), so the job only frees memory and names.
 */
export function purgeJob(store: Store): Job {
  return {
    kind: 'purge',
    run: ({ scope, arn }, now) =>
      store.mutate(scope, { kind: 'arn', arn }, (s) =>
        s && s.arn === arn && isPurgeable(s, now) ? { result: true, next: null } : { result: false },
      ),
  };
}
