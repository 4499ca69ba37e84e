/**
 * The ways a secret value could sit in a file or dump without being encrypted: as is, base64 (at every
 * byte alignment) and hex.
 */
export function encodings(value: Buffer | string): string[] {
  const b = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
  const out = [b.toString('latin1'), b.toString('hex'), b.toString('hex').toUpperCase()];
  for (let offset = 0; offset < 3; offset++) {
    const enc = b.subarray(offset).toString('base64');
    // drop the last block, which depends on what follows the value
    out.push(enc.slice(0, Math.max(8, enc.length - 4)));
  }
  return out;
}

/** The needles found in a haystack (latin1 view of bytes, or text). */
export function leaksIn(haystack: Buffer | string, values: Array<Buffer | string>): string[] {
  const text = Buffer.isBuffer(haystack) ? haystack.toString('latin1') : haystack;
  return values.flatMap((v) => encodings(v).filter((n) => text.includes(n)));
}
