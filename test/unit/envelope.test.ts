import { describe, expect, it } from 'vitest';
import { DecryptError, open, rewrap, seal } from '../../src/crypto/envelope.js';
import { Keyring, parseMasterKey } from '../../src/crypto/keyring.js';

const ring = new Keyring([{ id: 1, key: Buffer.alloc(32, 1) }]);
const ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:a-AbC123';

describe('envelope encryption', () => {
  it('round-trips strings and bytes with a fresh data key and nonce each time', () => {
    const a = seal(ring, ARN, 'v1', { secretString: 'héllo 😀' });
    const b = seal(ring, ARN, 'v1', { secretString: 'héllo 😀' });
    expect(a.c).not.toBe(b.c);
    expect(a.w).not.toBe(b.w);
    expect(open(ring, ARN, 'v1', a)).toEqual({ secretString: 'héllo 😀' });
    const bin = seal(ring, ARN, 'v2', { secretBinary: Buffer.from([0, 1, 255]) });
    expect(open(ring, ARN, 'v2', bin).secretBinary).toEqual(Buffer.from([0, 1, 255]));
  });

  it('binds the ARN and version id: a moved ciphertext does not decrypt', () => {
    const s = seal(ring, ARN, 'v1', { secretString: 'x' });
    expect(() => open(ring, ARN, 'v2', s)).toThrow(DecryptError);
    expect(() => open(ring, `${ARN}x`, 'v1', s)).toThrow(DecryptError);
  });

  it('detects tampering and wrong keys without revealing anything', () => {
    const s = seal(ring, ARN, 'v1', { secretString: 'secret-value' });
    const bytes = Buffer.from(s.c, 'base64');
    bytes[14] = bytes[14]! ^ 1;
    expect(() => open(ring, ARN, 'v1', { ...s, c: bytes.toString('base64') })).toThrow(DecryptError);
    const other = new Keyring([{ id: 1, key: Buffer.alloc(32, 2) }]);
    try {
      open(other, ARN, 'v1', s);
      expect.unreachable();
    } catch (e) {
      expect(String(e)).not.toContain('secret-value');
    }
  });

  it('re-wraps data keys under a new term; old terms keep decrypting', () => {
    const s = seal(ring, ARN, 'v1', { secretString: 'x' });
    const next = ring.withNewTerm();
    expect(open(next, ARN, 'v1', s)).toEqual({ secretString: 'x' });
    const r = rewrap(next, ARN, 'v1', s);
    expect(r.t).toBe(2);
    expect(r.c).toBe(s.c); // the value ciphertext is untouched
    expect(open(new Keyring([next.term(2)]), ARN, 'v1', r)).toEqual({ secretString: 'x' });
  });

  it('reads master keys as base64 or hex, 32 bytes only', () => {
    expect(parseMasterKey(Buffer.alloc(32, 3).toString('base64'))).toEqual(Buffer.alloc(32, 3));
    expect(parseMasterKey('ab'.repeat(32))).toEqual(Buffer.alloc(32, 0xab));
    for (const bad of ['', 'short', Buffer.alloc(31).toString('base64'), 'zz'.repeat(32)])
      expect(() => parseMasterKey(bad)).toThrow(/32 bytes/);
  });
});
