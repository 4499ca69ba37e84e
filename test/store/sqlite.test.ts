import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { staticKeyring } from '../../src/crypto/source.js';
import { storeContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'secretlite-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keys = staticKeyring(new Keyring([{ id: 1, key: Buffer.alloc(32, 7) }]), 'test');
let n = 0;

storeContract('sqlite', async () => new SqliteStore({ path: join(dir, `db${n++}.sqlite`), keys }));
