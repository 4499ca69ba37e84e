import { randomBytes, randomUUID, randomInt } from 'node:crypto';

/** Randomness source, injected so domain code never calls Math.random or crypto directly. */
export interface Random {
  uuid(): string;
  /** Uniform integer in [0, maxExclusive), without modulo bias. */
  int(maxExclusive: number): number;
  bytes(n: number): Buffer;
}

export const cryptoRandom: Random = {
  uuid: () => randomUUID(),
  int: (maxExclusive) => randomInt(maxExclusive),
  bytes: (n) => randomBytes(n),
};
