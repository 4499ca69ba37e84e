import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';

/**
 * Durable SQLite commits without blocking the event loop (issue 13).
 *
 * In WAL mode, synchronous=FULL differs from NORMAL by one thing: the WAL file is synced after each commit
 * (https://www.sqlite.org/pragma.html#pragma_synchronous; NORMAL still syncs the WAL before each checkpoint, the
 * database after it, and the WAL header when the file is reused, so the ordering SQLite needs is kept). With FULL,
 * better-sqlite3 makes that fsync on the main thread: the server parses nothing while the disk works. Here the
 * connection runs with NORMAL and this class makes the same sync, fdatasync of the WAL file, on libuv's thread
 * pool; a write is acknowledged only once a sync that started after its commit has finished, so an acknowledged
 * write is as durable as with FULL. Commits made while a sync runs share the next one (a second group commit).
 *
 * Between its commit and the sync, a change is visible to other requests but not yet acknowledged: a crash then may
 * lose it, which the contract allows for an unacknowledged write.
 *
 * The WAL file keeps its inode while this connection is open (SQLite deletes it only when the last connection
 * closes), so one descriptor serves for the store's life. SQLite takes no POSIX lock on the WAL file (its locks are
 * on the -shm file and the database), so this second descriptor cannot release one when it is closed.
 */
export class WalSync {
  readonly #fd: number;
  /** settlements of the writes committed since the running sync started: the next sync's */
  #waiting: Array<(error: Error | null) => void> = [];
  #running = false;
  #idle: Array<() => void> = [];
  /** syncs started and finished (for tests: an answer must wait for a sync started after its commit) */
  readonly counts = { started: 0, finished: 0 };

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /** The WAL file of an open database in WAL mode, or undefined when there is none (the caller keeps FULL). */
  static open(databasePath: string): WalSync | undefined {
    try {
      return new WalSync(openSync(`${databasePath}-wal`, 'r'));
    } catch {
      return undefined;
    }
  }

  /** Resolves once everything committed before the call is on disk. */
  durable(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push((e) => (e ? reject(e) : resolve()));
      if (!this.#running) this.#start();
    });
  }

  #start(): void {
    const batch = this.#waiting;
    this.#waiting = [];
    this.#running = true;
    this.counts.started++;
    fdatasync(this.#fd, (e) => {
      this.#running = false;
      this.counts.finished++;
      for (const settle of batch) settle(e);
      if (this.#waiting.length > 0) this.#start();
      else for (const f of this.#idle.splice(0)) f();
    });
  }

  /** The same, blocking: for the rare writes outside the group commit (administration, a reset). */
  syncNow(): void {
    fdatasyncSync(this.#fd);
  }

  /** After the syncs under way, and only then, the descriptor is closed (its number could be reused). */
  async close(): Promise<void> {
    if (this.#running) await new Promise<void>((resolve) => this.#idle.push(resolve));
    closeSync(this.#fd);
  }
}
