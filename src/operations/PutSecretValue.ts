import type { Handler } from './context.js';
import { mutateSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import { addVersion, applyStages, existingVersionFor, newVersion, pruneVersions, versionById } from '../domain/versions.js';
import { sortedStages } from '../domain/views.js';
import { InvalidRequest } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { valueOf } from './common.js';
import { clientRequestToken } from '../compat.js';

interface Input {
  SecretId: string;
  ClientRequestToken?: string;
  SecretString?: string;
  SecretBinary?: Buffer;
  VersionStages?: string[];
  RotationToken?: string;
}

export const PutSecretValue: Handler<Input> = async (input, ctx) => {
  const value = valueOf(input);
  if (!value) throw InvalidRequest(MSG.noValue);
  const token = clientRequestToken(ctx, input.ClientRequestToken);
  return mutateSecret(ctx, input.SecretId, (s, now) => {
    assertNotDeleted(s);
    const existing = existingVersionFor(s, token, value);
    if (existing === 'fill') {
      // The AWSPENDING placeholder of a rotation takes its value [rotation template createSecret].
      const v = versionById(s, token)!;
      Object.assign(v, value);
      applyStages(s, v, input.VersionStages ?? v.stages);
      pruneVersions(s, now);
      s.lastChangedDate = now;
      return { result: { ARN: s.arn, Name: s.name, VersionId: v.id, VersionStages: sortedStages(v) }, next: s };
    }
    if (existing) {
      return { result: { ARN: s.arn, Name: s.name, VersionId: existing.id, VersionStages: sortedStages(existing) } };
    }
    const v = newVersion(token, now, s.kmsKeyId, value);
    addVersion(s, v, input.VersionStages, now);
    s.lastChangedDate = now;
    return { result: { ARN: s.arn, Name: s.name, VersionId: v.id, VersionStages: sortedStages(v) }, next: s };
  });
};
