import { describe, expect, it } from 'vitest';
import { arnInRegion, isReplica, regionOf, sameSecret } from '../../src/domain/replicas.js';
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
