import { statSync } from 'node:fs';
import { Keyring, readKeyFile } from './keyring.js';

/** Where the store gets its keyring. A key file is re-read when it changes, so `rotate-master-key` needs no restart. */
export interface KeyringSource {
  keyring(): Keyring;
  /** Picks up a changed key file (checked at most once a second, or now with `force`). */
  refresh(force?: boolean): void;
  readonly description: string;
}

export function staticKeyring(keyring: Keyring, description: string): KeyringSource {
  return { keyring: () => keyring, refresh: () => {}, description };
}

export function keyFileSource(path: string): KeyringSource {
  let ring = readKeyFile(path);
  let mtime = statSync(path).mtimeMs;
  let checked = Date.now();
  return {
    description: `key file ${path}`,
    keyring: () => ring,
    refresh(force = false) {
      const now = Date.now();
      if (!force && now - checked < 1000) return;
      checked = now;
      const m = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
      if (m !== undefined && m !== mtime) {
        ring = readKeyFile(path);
        mtime = m;
      }
    },
  };
}
