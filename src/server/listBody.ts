import type { JsonList } from '../protocol/JsonList.js';

/** Scratch memory is reused up to this size; a larger body gets memory of its own, freed after its write. */
export const MAX_SCRATCH_BYTES = 1_048_576;
const FIRST_SCRATCH_BYTES = 65_536;
const COMMA = 0x2c;

/**
 * Writes JsonList bodies (ListSecrets and BatchGetSecretValue pages) into memory outside the V8 heap, reused
 * from one answer to the next: the parts are copied once, there, and the socket writes from it (joined into a
 * string, a page is that much young-generation garbage; CONTRIBUTING, "Performance").
 *
 * Reuse is safe because a body is made and handed to the socket in one synchronous step, and `written` is told
 * afterwards whether the socket took every byte at once (the usual case): if not, the bytes are still waiting
 * to be sent from this memory, which is then left to them, and the next body gets new memory.
 */
export class ListBodyWriter {
  #scratch = Buffer.allocUnsafeSlow(FIRST_SCRATCH_BYTES);
  #lengths = new Int32Array(128);
  /** whether the last body returned is in #scratch */
  #lastInScratch = false;

  /** The body's bytes: valid until the next call, or for as long as the socket needs them when `written(false)`. */
  encode(list: JsonList): Buffer {
    const { head, items, tail } = list;
    const n = items.length;
    if (this.#lengths.length < n) this.#lengths = new Int32Array(Math.max(n, this.#lengths.length * 2));
    const lengths = this.#lengths;
    const headBytes = Buffer.byteLength(head);
    const tailBytes = Buffer.byteLength(tail);
    let bytes = headBytes + tailBytes + (n > 0 ? n - 1 : 0);
    for (let i = 0; i < n; i++) bytes += lengths[i] = Buffer.byteLength(items[i]!);

    let out = this.#scratch;
    this.#lastInScratch = bytes <= MAX_SCRATCH_BYTES;
    if (!this.#lastInScratch) out = Buffer.allocUnsafeSlow(bytes);
    else if (bytes > out.length)
      out = this.#scratch = Buffer.allocUnsafeSlow(Math.min(MAX_SCRATCH_BYTES, Math.max(bytes, out.length * 2)));

    let at = write(out, head, headBytes, 0);
    for (let i = 0; i < n; i++) {
      if (i > 0) out[at++] = COMMA;
      at = write(out, items[i]!, lengths[i]!, at);
    }
    at = write(out, tail, tailBytes, at);
    return out.subarray(0, at);
  }

  /** After the socket write of the last body: `sentAtOnce` false leaves its memory to the pending write. */
  written(sentAtOnce: boolean): void {
    if (!sentAtOnce && this.#lastInScratch) this.#scratch = Buffer.allocUnsafeSlow(this.#scratch.length);
    this.#lastInScratch = false;
  }
}

/**
 * `s` (of `bytes` UTF-8 bytes) at `at`; an ASCII string (as many bytes as characters) is copied as latin1,
 * faster than UTF-8.
 */
function write(out: Buffer, s: string, bytes: number, at: number): number {
  return at + out.write(s, at, bytes === s.length ? 'latin1' : 'utf8');
}
