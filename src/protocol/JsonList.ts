/**
 * An answer that is a JSON array of already serialized values between an opening and a closing text:
 * `head + items.join(',') + tail`. The HTTP layer writes the parts straight into reusable memory outside
 * the V8 heap (server/listBody.ts), so a 40 KB ListSecrets page is never joined into one more 40 KB string:
 * young-generation garbage is what makes page cost grow with the number of secrets (each young collection
 * walks every page of the old generation). `text` joins it, for callers in-process.
 */
export class JsonList {
  constructor(
    readonly head: string,
    readonly items: readonly string[],
    readonly tail: string,
  ) {}

  get text(): string {
    return this.head + this.items.join(',') + this.tail;
  }
}
