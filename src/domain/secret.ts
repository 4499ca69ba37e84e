import type { Secret, SecretVersion } from './types.js';

/** A private deep copy for a transition to change. Values (strings, Buffers) are never mutated, so they are shared. */
export function cloneSecret(s: Secret): Secret {
  return {
    ...s,
    tags: s.tags?.map((t) => ({ ...t })),
    rotationRules: s.rotationRules ? { ...s.rotationRules } : undefined,
    versions: s.versions.map(cloneVersion),
  };
}

function cloneVersion(v: SecretVersion): SecretVersion {
  return { ...v, stages: [...v.stages] };
}
