import { describe, expect, it } from 'vitest';
import {
  arnInRegion,
  dropStatuses,
  isReplica,
  regionOf,
  sameSecret,
  status,
  updateStatus,
} from '../../src/domain/replicas.js';
import { newSecret } from '../../src/domain/secret.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbCdEf';

describe('replica identity', () => {
  it('swaps the Region of an ARN and reads it back', () => {
    const west = arnInRegion(ARN, 'eu-west-1');
    expect(west).toBe('arn:aws:secretsmanager:eu-west-1:111111111111:secret:app/db-AbCdEf');
    expect(regionOf(west)).toBe('eu-west-1');
  });
  it('sameSecret: equal but for the Region', () => {
    expect(sameSecret(ARN, arnInRegion(ARN, 'ap-southeast-2'))).toBe(true);
    expect(sameSecret(ARN, ARN)).toBe(true);
    expect(sameSecret(ARN, ARN.replace('AbCdEf', 'AbCdEg'))).toBe(false);
    expect(sameSecret(ARN, ARN.replace('111111111111', '222222222222'))).toBe(false);
    expect(sameSecret(ARN, `${ARN}x`)).toBe(false);
  });
  it('isReplica: a record whose primary Region is not its own', () => {
    const s = newSecret(ARN, 'app/db', 0);
    expect(isReplica(s)).toBe(false);
    s.primaryRegion = 'us-east-1';
    expect(isReplica(s)).toBe(false);
    s.primaryRegion = 'eu-west-1';
    expect(isReplica(s)).toBe(true);
    s.primaryRegion = 'east-1'; // a suffix of the Region is another Region
    expect(isReplica(s)).toBe(true);
  });
});

describe("a primary's replication statuses", () => {
  const primary = () => {
    const s = newSecret(ARN, 'app/db', 0);
    s.primaryRegion = 'us-east-1';
    s.replicationStatus = [status('eu-west-1', undefined, 'InSync'), status('ap-south-1', 'alias/x', 'InSync')];
    return s;
  };
  it('dropStatuses removes the entries of the Regions given; with none left the secret is no primary', () => {
    const s = primary();
    const before = s.replicationStatus;
    expect(dropStatuses(s, new Set(['eu-west-1']))).toBe(true);
    expect(s.replicationStatus!.map((r) => r.Region)).toEqual(['ap-south-1']);
    expect(before).toHaveLength(2); // copy-on-write
    expect(dropStatuses(s, new Set(['us-west-2']))).toBe(false);
    expect(dropStatuses(s, new Set(['ap-south-1']))).toBe(true);
    expect(s.replicationStatus).toBeUndefined();
    expect(s.primaryRegion).toBeUndefined();
  });
  it('updateStatus changes one entry, copy-on-write, and says whether anything changed', () => {
    const s = primary();
    const before = s.replicationStatus!;
    expect(updateStatus(s, 'ap-south-1', (r) => ({ ...r, KmsKeyId: 'alias/y' }))).toBe(true);
    expect(s.replicationStatus![1]!.KmsKeyId).toBe('alias/y');
    expect(before[1]!.KmsKeyId).toBe('alias/x');
    expect(updateStatus(s, 'ap-south-1', (r) => r)).toBe(false);
    expect(updateStatus(s, 'us-west-2', (r) => ({ ...r, KmsKeyId: 'z' }))).toBe(false);
  });
});
