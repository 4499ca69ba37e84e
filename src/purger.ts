import type { Clock } from './clock.js';
import type { Store } from './store/Store.js';
import type { Logger } from './logger.js';
import { isPurgeable } from './domain/lifecycle.js';

const BATCH = 1_000;

/**
 * Removes secrets whose recovery window has passed. Until it runs they are already invisible (every
 * lookup asks the clock), so the timer only frees memory and names; tests call runOnce().
 */
export function startPurger(store: Store, clock: Clock, intervalMs: number, log: Logger) {
  const runOnce = async (): Promise<number> => {
    let purged = 0;
    for (;;) {
      const now = clock.now();
      const due = await store.dueForPurge(now, BATCH);
      for (const { scope, arn } of due) {
        const removed = await store.mutate(scope, { kind: 'arn', arn }, (s) =>
          s && s.arn === arn && isPurgeable(s, now) ? { result: true, next: null } : { result: false },
        );
        if (removed) purged++;
      }
      if (due.length < BATCH) return purged;
    }
  };
  const tick = async () => {
    if (store.isLeader && !(await store.isLeader())) return;
    await runOnce();
  };
  const timer = setInterval(() => {
    tick().catch((e: unknown) => log.error('purge failed', { error: e instanceof Error ? e.name : 'unknown' }));
  }, intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
