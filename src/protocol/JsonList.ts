/**
 * An answer that is a JSON array of already serialized values between an opening and a closing text:
 * `head + items.join(',') + tail`. The HTTP layer writes the parts straight into reusable memory outside the V8
 * heap (server/listBody.ts), never joined (CONTRIBUTING, "Performance"); `text` joins it, for callers in-process.
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
