import type { Clock } from '../clock.js';
import type { DueItem, DueKind, Store } from '../store/Store.js';
import type { Logger } from '../logger.js';

/** How many due secrets one query returns; a job runs until a query returns fewer. */
const BATCH = 1_000;

/**
 * A background job: what to do with one secret whose work of `kind` is due. The store finds due secrets
 * (`Store.due`), so every kind of background work (purging, rotation schedules)
 * is found the same way, and runs on one instance at a time on a shared database (`Store.isLeader`).
 */
export interface Job {
  readonly kind: DueKind;
  /** handles one due secret (a transition through store.mutate); true when it changed something */
  run(item: DueItem, now: number): Promise<boolean>;
}

export interface JobRunner {
  /** Runs every job over everything due now, instead of waiting for the timer; how many secrets changed. */
  runOnce(): Promise<number>;
  stop(): void;
}

/** Runs `jobs` every `intervalMs` (unref'd: it never keeps the process alive); tests call runOnce(). */
export function startJobs(
  store: Store,
  clock: Clock,
  jobs: readonly Job[],
  intervalMs: number,
  log: Logger,
): JobRunner {
  const runJob = async (job: Job): Promise<number> => {
    let changed = 0;
    for (;;) {
      const now = clock.now();
      const due = await store.due(job.kind, now, BATCH);
      let batch = 0;
      for (const item of due) if (await job.run(item, now)) batch++;
      changed += batch;
      // a full batch of which nothing could be done now (rotations beyond those one instance runs at once) waits
      if (due.length < BATCH || batch === 0) return changed;
    }
  };
  const runOnce = async (): Promise<number> => {
    let changed = 0;
    for (const job of jobs) changed += await runJob(job);
    return changed;
  };
  const tick = async () => {
    if (store.isLeader && !(await store.isLeader())) return;
    await runOnce();
  };
  const timer = setInterval(() => {
    tick().catch((e: unknown) =>
      log.error('background job failed', { error: e instanceof Error ? e.name : 'unknown' }),
    );
  }, intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
