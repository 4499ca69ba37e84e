import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  ListSecretsCommand,
  paginateListSecrets,
  type Filter,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, startTestServer, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
beforeAll(async () => {
  t = await startTestServer();
  sm = t.client();
  // the four descriptions of LocalStack's AWS-validated test_list_secrets_filtering
  const seed: Array<[string, string, Record<string, string>]> = [
    ['/filter/a', 'a secret', { env: 'prod', Team: 'Red' }],
    ['filter/b', 'an secret', { env: 'dev' }],
    ['filter/c', 'asecret', { owner: 'Alice' }],
    ['filter/d', 'thesecret', {}],
  ];
  for (const [name, description, tags] of seed) {
    t.clock.advance(1000);
    await sm.send(
      new CreateSecretCommand({
        Name: name,
        Description: description,
        SecretString: 'x',
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }
});
afterAll(() => t.close());

const names = async (Filters: Filter[], extra: Record<string, unknown> = {}) =>
  ((await sm.send(new ListSecretsCommand({ Filters, ...extra }))).SecretList ?? []).map((s) => s.Name).sort();

describe('ListSecrets', () => {
  it('lists entries with SecretVersionsToStages, oldest first by default', async () => {
    const r = await t.raw('secretsmanager.ListSecrets', {});
    const list = r.json.SecretList as Array<Record<string, unknown>>;
    expect(list.map((s) => s.Name)).toEqual(['/filter/a', 'filter/b', 'filter/c', 'filter/d']);
    expect(list[0]!.SecretVersionsToStages).toBeDefined();
    expect(list[0]!.VersionIdsToStages).toBeUndefined();
    expect(r.json.NextToken).toBeUndefined();
    expect(list[3]!.Tags).toBeUndefined(); // created with an empty tag list: untagged
  });

  it('matches names by case-sensitive prefix, with ! negation [LS-val]', async () => {
    expect(await names([{ Key: 'name', Values: ['/'] }])).toEqual(['/filter/a']);
    expect(await names([{ Key: 'name', Values: ['!/'] }])).toEqual(['filter/b', 'filter/c', 'filter/d']);
    expect(await names([{ Key: 'name', Values: ['testing1 one'] }])).toEqual([]);
    expect(await names([{ Key: 'name', Values: ['FILTER'] }])).toEqual([]);
  });

  it('matches descriptions by word prefix, case-insensitively [LS-val]', async () => {
    expect(await names([{ Key: 'description', Values: ['a'] }])).toEqual(['/filter/a', 'filter/b', 'filter/c']);
    expect(await names([{ Key: 'description', Values: ['a secret'] }])).toEqual(['/filter/a', 'filter/b']);
    expect(await names([{ Key: 'description', Values: ['!a'] }])).toEqual(['filter/d']);
    expect(await names([{ Key: 'description', Values: ['!c'] }])).toEqual([
      '/filter/a',
      'filter/b',
      'filter/c',
      'filter/d',
    ]);
    expect(await names([{ Key: 'description', Values: ['A SECRET'] }])).toEqual(['/filter/a', 'filter/b']);
  });

  it('ANDs filters and ORs values', async () => {
    expect(
      await names([
        { Key: 'description', Values: ['a'] },
        { Key: 'name', Values: ['filter/'] },
      ]),
    ).toEqual(['filter/b', 'filter/c']);
    expect(await names([{ Key: 'name', Values: ['filter/b', 'filter/c'] }])).toEqual(['filter/b', 'filter/c']);
  });

  it('filters on tag keys and values (case-sensitive) and on all attributes', async () => {
    expect(await names([{ Key: 'tag-key', Values: ['env'] }])).toEqual(['/filter/a', 'filter/b']);
    expect(await names([{ Key: 'tag-key', Values: ['!env'] }])).toEqual(['filter/c', 'filter/d']);
    expect(await names([{ Key: 'tag-value', Values: ['Red'] }])).toEqual(['/filter/a']);
    expect(await names([{ Key: 'tag-value', Values: ['red'] }])).toEqual([]);
    expect(await names([{ Key: 'all', Values: ['alice'] }])).toEqual(['filter/c']);
    expect(await names([{ Key: 'all', Values: ['prod'] }])).toEqual(['/filter/a']);
    expect(await names([{ Key: 'primary-region', Values: ['us'] }])).toEqual([]);
  });

  it('validates filter keys and values with AWS wording', async () => {
    const r = await t.raw('secretsmanager.ListSecrets', { Filters: [{ Key: 'invalid', Values: ['x'] }] });
    expect(r.json).toEqual({
      __type: 'ValidationException',
      Message:
        "1 validation error detected: Value 'invalid' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [description, name, tag-key, tag-value, primary-region, owning-service, all]",
    });
    const bad = await t.raw('secretsmanager.ListSecrets', { Filters: [{ Key: 'name', Values: ['a*b'] }] });
    expect(bad.json.__type).toBe('ValidationException');
    expect(bad.json.Message).toContain(
      "at 'filters.1.member.values.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern",
    );
    const noValues = await t.raw('secretsmanager.ListSecrets', { Filters: [{ Key: 'name' }] });
    expect(noValues.json).toEqual({
      __type: 'InvalidParameterException',
      Message: 'Invalid filter values for key: name',
    });
  });

  it('sorts by name and date, both directions', async () => {
    const list = async (SortBy: string, SortOrder: string) =>
      (
        (await t.raw('secretsmanager.ListSecrets', { SortBy, SortOrder })).json.SecretList as Array<{ Name: string }>
      ).map((s) => s.Name);
    expect(await list('name', 'asc')).toEqual(['/filter/a', 'filter/b', 'filter/c', 'filter/d']);
    expect(await list('name', 'desc')).toEqual(['filter/d', 'filter/c', 'filter/b', '/filter/a']);
    expect(await list('created-date', 'desc')).toEqual(['filter/d', 'filter/c', 'filter/b', '/filter/a']);
    expect(await list('last-changed-date', 'asc')).toEqual(['/filter/a', 'filter/b', 'filter/c', 'filter/d']);
    expect((await list('last-accessed-date', 'asc')).length).toBe(4);
  });

  it('pages with MaxResults and NextToken, and refuses a bad token', async () => {
    const p1 = await sm.send(new ListSecretsCommand({ MaxResults: 3, SortBy: 'name' }));
    expect(p1.SecretList).toHaveLength(3);
    const p2 = await sm.send(new ListSecretsCommand({ MaxResults: 3, SortBy: 'name', NextToken: p1.NextToken }));
    expect(p2.SecretList!.map((s) => s.Name)).toEqual(['filter/d']);
    expect(p2.NextToken).toBeUndefined();
    const all: string[] = [];
    for await (const page of paginateListSecrets({ client: sm, pageSize: 1 }, {}))
      all.push(...(page.SecretList ?? []).map((s) => s.Name!));
    expect(all).toHaveLength(4);
    for (const token of ['garbage', Buffer.from('{"k":"x"}').toString('base64url'), p1.NextToken!.slice(0, 10)]) {
      expect(await awsError(sm.send(new ListSecretsCommand({ NextToken: token })))).toMatchObject({
        name: 'InvalidNextTokenException',
        status: 400,
      });
    }
    // a token from another sort order is not valid for this one
    expect(
      (await awsError(sm.send(new ListSecretsCommand({ NextToken: p1.NextToken, SortBy: 'created-date' })))).name,
    ).toBe('InvalidNextTokenException');
    expect((await t.raw('secretsmanager.ListSecrets', { MaxResults: 101 })).json.Message).toBe(
      "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });

  describe('word search (Key=all, description) splits words as the AWS user guide says', () => {
    // A scope of its own (a 12-digit access key id is the account), so the four secrets above stay out of it.
    let own: SecretsManagerClient;
    const found = async (Key: NonNullable<Filter['Key']>, Values: string[]) =>
      ((await own.send(new ListSecretsCommand({ Filters: [{ Key, Values }] }))).SecretList ?? [])
        .map((s) => s.Name)
        .sort();
    beforeAll(async () => {
      own = t.client({ accessKeyId: '222222222222' });
      const seed: Array<[string, string | undefined, Record<string, string>]> = [
        ['prod/AppBeta/x', 'DescTwo', {}],
        ['uat/COMPANYthings/x', undefined, {}],
        ['creds/plain', 'credsDatabase#892 for the reporting job', { CostCenter: 'abc123def' }],
        ['MixedCase', 'My basic description', {}],
      ];
      for (const [Name, Description, tags] of seed) {
        await own.send(
          new CreateSecretCommand({
            Name,
            Description,
            SecretString: 'x',
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
      }
    });

    it('splits camel case: "Beta" finds prod/AppBeta/x, "Two" finds the description DescTwo', async () => {
      expect(await found('all', ['Beta'])).toEqual(['prod/AppBeta/x']);
      expect(await found('all', ['beta'])).toEqual(['prod/AppBeta/x']);
      expect(await found('all', ['App'])).toEqual(['prod/AppBeta/x']);
      expect(await found('all', ['Two'])).toEqual(['prod/AppBeta/x']);
      expect(await found('description', ['two'])).toEqual(['prod/AppBeta/x']);
      // a word is matched by its start only
      expect(await found('all', ['eta'])).toEqual([]);
    });

    it('gives the last capital of a run to the next word: COMPANYthings is COMPAN + Ythings', async () => {
      expect(await found('all', ['company'])).toEqual([]);
      expect(await found('all', ['compan'])).toEqual(['uat/COMPANYthings/x']);
      expect(await found('all', ['ything'])).toEqual(['uat/COMPANYthings/x']);
      expect(await found('all', ['things'])).toEqual([]);
    });

    it('splits letters from digits and at punctuation: credsDatabase#892 is creds, Database, 892', async () => {
      expect(await found('all', ['credsDatabase/892'])).toEqual(['creds/plain']);
      expect(await found('description', ['Database'])).toEqual(['creds/plain']);
      expect(await found('description', ['892'])).toEqual(['creds/plain']);
      expect(await found('description', ['89'])).toEqual(['creds/plain']);
      // tag values are searched by "all": abc123def is abc, 123, def
      expect(await found('all', ['123'])).toEqual(['creds/plain']);
      expect(await found('all', ['def'])).toEqual(['creds/plain']);
      expect(await found('tag-value', ['123'])).toEqual([]);
    });

    it('needs every word of a multi-word value; all punctuation matches nothing', async () => {
      expect(await found('description', ['My Description'])).toEqual(['MixedCase']);
      expect(await found('description', ['description my'])).toEqual(['MixedCase']);
      expect(await found('description', ['description of my'])).toEqual([]);
      expect(await found('description', ['my reporting'])).toEqual([]);
      expect(await found('all', ['creds reporting'])).toEqual(['creds/plain']);
      expect(await found('all', ['//'])).toEqual([]);
      expect(await found('description', ['-'])).toEqual([]);
      expect(await found('all', ['!//'])).toEqual([
        'MixedCase',
        'creds/plain',
        'prod/AppBeta/x',
        'uat/COMPANYthings/x',
      ]);
    });

    it('keeps name and tag filters as case-sensitive prefixes of the whole string', async () => {
      expect(await found('name', ['prod/App'])).toEqual(['prod/AppBeta/x']);
      expect(await found('name', ['Beta'])).toEqual([]);
      expect(await found('name', ['mixed'])).toEqual([]);
      expect(await found('tag-key', ['Cost'])).toEqual(['creds/plain']);
      expect(await found('tag-key', ['cost'])).toEqual([]);
    });

    it('BatchGetSecretValue filters the same way', async () => {
      const r = await own.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'all', Values: ['Beta'] }] }));
      expect(r.SecretValues!.map((v) => v.Name)).toEqual(['prod/AppBeta/x']);
      const none = await own.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'all', Values: ['company'] }] }));
      expect(none.SecretValues).toEqual([]);
    });
  });
});
