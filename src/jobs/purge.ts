import type { Store } from '../store/Store.js';
import type { Scope } from '../domain/types.js';
import { isPurgeable } from '../domain/lifecycle.js';
import type { Job } from './runner.js';

/**
 * Removes secrets whose recovery window has passed. Until it runs they are already invisible (every lookup
 * asks the clock), so the job only frees memory and names.
 */
export function purgeJob(store: Store, purged?: (scope: Scope, arn: string) => void): Job {
  return {
    kind: 'purge',
    run: async ({ scope, arn }, now) => {
      const gone = await store.mutate(scope, { kind: 'arn', arn }, (s) =>
        s && s.arn === arn && isPurgeable(s, now) ? { result: true, next: null } : { result: false },
      );
      // the end of a scheduled deletion: CloudTrail's EndSecretVersionDelete [doc: "Log entries for deletion"]
      if (gone) purged?.(scope, arn);
      return gone;
    },
  };
}
