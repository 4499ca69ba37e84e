import type { Secret, SecretVersion } from './types.js';

/** A private deep copy for a transition to change. Values (strings, Buffers) are never mutated, so they are shared. */
export function cloneSecret(s: Secret): Secret {
  const copy: Secret = { ...s, versions: s.versions.map(cloneVersion) };
  if (s.tags) copy.tags = s.tags.map((t) => ({ ...t }));
  if (s.rotationRules) copy.rotationRules = { ...s.rotationRules };
  return copy;
}

/** Sets a member only when it has a value: a million secrets should not each carry empty slots. */
export function setDefined<T extends object, K extends keyof T>(o: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) o[key] = value;
}

function cloneVersion(v: SecretVersion): SecretVersion {
  return { ...v, stages: [...v.stages] };
}
