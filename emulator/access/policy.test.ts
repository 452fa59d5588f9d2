import { describe, expect, it } from 'vitest';
import { decide, parsePolicy, PolicyError, type AccessQuestion } from './policy.js';
import { accountIdOf } from '../ops/owner.js';
import { describeRamUser, parseRamUsers, readRamUsersOption } from './ram-users.js';

const ask = (action: string, resource: string, context: Record<string, string> = {}, extra: Partial<AccessQuestion> = {}): AccessQuestion => ({
  action,
  resource,
  context: new Map(Object.entries(context)),
  ...extra,
});
const policy = (...statements: unknown[]) => parsePolicy({ Version: '1', Statement: statements }, 'ram');

describe('matching', () => {
  it('actions match case-insensitively, with * and ?', () => {
    const p = policy({ Effect: 'Allow', Action: ['oss:Get*', 'oss:PutObjectACL', 'oss:?istObjects'], Resource: '*' });
    expect(decide([p], ask('oss:GetObject', 'acs:oss:*:1:b/k'))).toBe('Allow');
    expect(decide([p], ask('oss:putobjectacl', 'acs:oss:*:1:b/k'))).toBe('Allow');
    expect(decide([p], ask('oss:ListObjects', 'acs:oss:*:1:b'))).toBe('Allow');
    expect(decide([p], ask('oss:PutObject', 'acs:oss:*:1:b/k'))).toBeUndefined();
  });

  it('resources match case-sensitively; * crosses /; a bucket ARN does not cover its objects nor the reverse', () => {
    const p = policy({ Effect: 'Allow', Action: 'oss:*', Resource: ['acs:oss:*:*:bkt/logs/*', 'acs:oss:*:*:list-bkt'] });
    expect(decide([p], ask('oss:GetObject', 'acs:oss:cn-hangzhou:123:bkt/logs/2026/12/01.log'))).toBe('Allow');
    expect(decide([p], ask('oss:GetObject', 'acs:oss:cn-hangzhou:123:bkt/Logs/x'))).toBeUndefined();
    expect(decide([p], ask('oss:ListObjects', 'acs:oss:cn-hangzhou:123:list-bkt'))).toBe('Allow');
    expect(decide([p], ask('oss:GetObject', 'acs:oss:cn-hangzhou:123:list-bkt/k'))).toBeUndefined();
    expect(decide([p], ask('oss:ListObjects', 'acs:oss:cn-hangzhou:123:bkt'))).toBeUndefined();
  });

  it('regular-expression characters in patterns are literal', () => {
    const p = policy({ Effect: 'Allow', Action: 'oss:GetObject', Resource: 'acs:oss:*:*:b/a+b(1).txt' });
    expect(decide([p], ask('oss:GetObject', 'acs:oss:*:1:b/a+b(1).txt'))).toBe('Allow');
    expect(decide([p], ask('oss:GetObject', 'acs:oss:*:1:b/aab(1).txt'))).toBeUndefined();
  });

  it('NotAction and NotResource invert their lists', () => {
    const p = policy({ Effect: 'Allow', NotAction: 'oss:Delete*', NotResource: 'acs:oss:*:*:b/secret/*' });
    expect(decide([p], ask('oss:GetObject', 'acs:oss:*:1:b/k'))).toBe('Allow');
    expect(decide([p], ask('oss:DeleteObject', 'acs:oss:*:1:b/k'))).toBeUndefined();
    expect(decide([p], ask('oss:GetObject', 'acs:oss:*:1:b/secret/k'))).toBeUndefined();
  });

  it('an explicit Deny anywhere beats any Allow, in one policy or across several', () => {
    const allowAll = policy({ Effect: 'Allow', Action: 'oss:*', Resource: '*' });
    const denyDelete = policy({ Effect: 'Deny', Action: 'oss:DeleteObject', Resource: '*' });
    expect(decide([allowAll, denyDelete], ask('oss:DeleteObject', 'acs:oss:*:1:b/k'))).toBe('Deny');
    expect(decide([denyDelete, allowAll], ask('oss:DeleteObject', 'acs:oss:*:1:b/k'))).toBe('Deny');
    expect(decide([allowAll, denyDelete], ask('oss:GetObject', 'acs:oss:*:1:b/k'))).toBe('Allow');
  });
});

describe('conditions', () => {
  const withCondition = (condition: unknown) => policy({ Effect: 'Allow', Action: 'oss:*', Resource: '*', Condition: condition });
  const allowed = (condition: unknown, context: Record<string, string>) => decide([withCondition(condition)], ask('oss:GetObject', 'r', context)) === 'Allow';

  it('keys are case-insensitive; values of one key are alternatives; every key must hold', () => {
    const c = { StringEquals: { 'ACS:SourceIp': ['1.1.1.1', '2.2.2.2'] }, Bool: { 'acs:SecureTransport': 'false' } };
    expect(allowed(c, { 'acs:sourceip': '2.2.2.2', 'acs:securetransport': 'false' })).toBe(true);
    expect(allowed(c, { 'acs:sourceip': '3.3.3.3', 'acs:securetransport': 'false' })).toBe(false);
    expect(allowed(c, { 'acs:sourceip': '2.2.2.2', 'acs:securetransport': 'true' })).toBe(false);
  });

  it('string operators', () => {
    expect(allowed({ StringLike: { 'oss:Prefix': 'logs/*' } }, { 'oss:prefix': 'logs/2026/' })).toBe(true);
    expect(allowed({ StringLike: { 'oss:Prefix': 'logs/*' } }, { 'oss:prefix': 'data/' })).toBe(false);
    expect(allowed({ StringNotLike: { 'oss:Prefix': 'logs/*' } }, { 'oss:prefix': 'data/' })).toBe(true);
    expect(allowed({ StringEqualsIgnoreCase: { 'acs:UserAgent': 'MyApp' } }, { 'acs:useragent': 'myapp' })).toBe(true);
    expect(allowed({ StringNotEquals: { 'acs:AccessId': 'a' } }, { 'acs:accessid': 'a' })).toBe(false);
  });

  it('a key the request lacks satisfies only negated operators', () => {
    expect(allowed({ StringEquals: { 'oss:Prefix': 'x' } }, {})).toBe(false);
    expect(allowed({ StringNotEquals: { 'oss:Prefix': 'x' } }, {})).toBe(true);
    expect(allowed({ NotIpAddress: { 'acs:SourceIp': '10.0.0.0/8' } }, {})).toBe(true);
  });

  it('IP addresses and CIDR blocks, v4 and v6', () => {
    expect(allowed({ IpAddress: { 'acs:SourceIp': ['10.0.0.0/8', '::1'] } }, { 'acs:sourceip': '10.2.3.4' })).toBe(true);
    expect(allowed({ IpAddress: { 'acs:SourceIp': ['10.0.0.0/8', '::1'] } }, { 'acs:sourceip': '::1' })).toBe(true);
    expect(allowed({ IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } }, { 'acs:sourceip': '11.0.0.1' })).toBe(false);
    expect(allowed({ NotIpAddress: { 'acs:SourceIp': '10.0.0.0/8' } }, { 'acs:sourceip': '11.0.0.1' })).toBe(true);
  });

  it('dates and numbers', () => {
    expect(allowed({ DateLessThan: { 'acs:CurrentTime': '2030-01-01T00:00:00Z' } }, { 'acs:currenttime': '2026-12-01T00:00:00Z' })).toBe(true);
    expect(allowed({ DateGreaterThan: { 'acs:CurrentTime': '2030-01-01T00:00:00Z' } }, { 'acs:currenttime': '2026-12-01T00:00:00Z' })).toBe(false);
    expect(allowed({ NumericLessThanEquals: { 'oss:max-keys': 100 } }, { 'oss:max-keys': '100' })).toBe(true);
    expect(allowed({ NumericNotEquals: { 'oss:max-keys': ['1', '2'] } }, { 'oss:max-keys': '3' })).toBe(true);
    expect(allowed({ NumericNotEquals: { 'oss:max-keys': ['1', '2'] } }, { 'oss:max-keys': '2' })).toBe(false);
    // A request value that is no number equals none of the values.
    expect(allowed({ NumericNotEquals: { 'oss:max-keys': '1' } }, { 'oss:max-keys': 'many' })).toBe(true);
    expect(allowed({ NumericEquals: { 'oss:max-keys': '1' } }, { 'oss:max-keys': 'many' })).toBe(false);
  });
});

describe('bucket-policy principals', () => {
  const bucketPolicy = (statement: Record<string, unknown>) => parsePolicy({ Version: '1', Statement: [{ Effect: 'Deny', Action: 'oss:*', Resource: '*', ...statement }] }, 'bucket');

  it('a UID names one caller; * everybody; a missing or empty Principal means *', () => {
    expect(decide([bucketPolicy({ Principal: ['2001'] })], ask('oss:GetObject', 'r', {}, { principalId: '2001' }))).toBe('Deny');
    expect(decide([bucketPolicy({ Principal: ['2001'] })], ask('oss:GetObject', 'r', {}, { principalId: '2002' }))).toBeUndefined();
    expect(decide([bucketPolicy({ Principal: '*' })], ask('oss:GetObject', 'r'))).toBe('Deny');
    expect(decide([bucketPolicy({})], ask('oss:GetObject', 'r'))).toBe('Deny');
    expect(decide([bucketPolicy({ Principal: [] })], ask('oss:GetObject', 'r'))).toBe('Deny');
  });

  it('* reaches the bucket owner only in a statement with a Condition', () => {
    const owner: Partial<AccessQuestion> = { principalId: '1000', isOwner: true };
    expect(decide([bucketPolicy({ Principal: ['*'] })], ask('oss:GetObject', 'r', {}, owner))).toBeUndefined();
    const conditioned = bucketPolicy({ Principal: ['*'], Condition: { StringEquals: { 'acs:AccessId': 'k' } } });
    expect(decide([conditioned], ask('oss:GetObject', 'r', { 'acs:accessid': 'k' }, owner))).toBe('Deny');
    expect(decide([bucketPolicy({ Principal: ['1000'] })], ask('oss:GetObject', 'r', {}, owner))).toBe('Deny');
  });
});

describe('refused documents', () => {
  it.each([
    ['not an object', [], 'invalid'],
    ['no Version', { Statement: [] }, 'invalid'],
    ['Version 2', { Version: '2', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'version'],
    ['no Statement', { Version: '1' }, 'invalid'],
    ['a bad Effect', { Version: '1', Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] }, 'invalid'],
    ['both Action and NotAction', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', NotAction: 'x', Resource: '*' }] }, 'invalid'],
    ['no Resource', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*' }] }, 'invalid'],
    ['a number as Action', { Version: '1', Statement: [{ Effect: 'Allow', Action: 5, Resource: '*' }] }, 'invalid'],
    ['an unknown operator', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Like: { k: 'v' } } }] }, 'invalid'],
    ['a bad CIDR', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/33' } } }] }, 'invalid'],
    ['consecutive wildcards', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: 'acs:oss:*:*:b/**' }] }, 'wildcards'],
    // A typo must not turn a conditional Allow into an unconditional one.
    ['an unknown statement element', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Conditions: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } }] }, 'invalid'],
    ['an unknown document element', { Version: '1', Statements: [], Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'invalid'],
    ['Principal in a RAM policy', { Version: '1', Statement: [{ Effect: 'Allow', Principal: ['*'], Action: '*', Resource: '*' }] }, 'invalid'],
    ['NotPrincipal', { Version: '1', Statement: [{ Effect: 'Deny', NotPrincipal: ['1'], Action: '*', Resource: '*' }] }, 'invalid'],
    ['a CIDR with an empty prefix', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '10.9.9.9/' } } }] }, 'invalid'],
    ['a CIDR with trailing parts', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '1.2.3.4/8/x' } } }] }, 'invalid'],
    ['a CIDR prefix in hex', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '1.2.3.4/0x10' } } }] }, 'invalid'],
    ['a date that is no date', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateLessThan: { 'acs:CurrentTime': 'soon' } } }] }, 'invalid'],
    ['an empty number', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericEquals: { 'oss:max-keys': '' } } }] }, 'invalid'],
  ])('%s', (_what, document, reason) => {
    let thrown: unknown;
    try {
      parsePolicy(document, (document as { Statement?: Array<{ NotPrincipal?: unknown }> }).Statement?.[0]?.NotPrincipal ? 'bucket' : 'ram');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PolicyError);
    expect((thrown as PolicyError).reason).toBe(reason);
  });
});

describe('RAM users', () => {
  const spec = { name: 'app', accessKeyId: 'app-key', accessKeySecret: 'app-secret' };

  it('a user without an id gets a stable 18-digit one; policy and policies both count', () => {
    const doc = { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const [user] = parseRamUsers([{ ...spec, policy: doc, policies: [doc] }]);
    expect(user!.id).toMatch(/^\d{18}$/);
    expect(parseRamUsers([spec])[0]!.id).toBe(user!.id);
    expect(user!.policies).toHaveLength(2);
  });

  it('refuses missing fields, bad ids, bad policies and AccessKey IDs used twice (the account\'s included)', () => {
    expect(() => parseRamUsers([{ ...spec, accessKeySecret: '' }])).toThrow(/accessKeySecret/);
    expect(() => parseRamUsers([{ ...spec, polices: [] }])).toThrow(/unknown field "polices"/);
    expect(() => parseRamUsers([{ ...spec, id: 'abc' }])).toThrow(/"id"/);
    expect(() => parseRamUsers([{ ...spec, policies: [{ Version: '1' }] }])).toThrow(/RAM user "app", policy 1/);
    expect(() => parseRamUsers([spec, { ...spec, name: 'other' }])).toThrow(/already in use/);
    expect(() => parseRamUsers([spec], 'app-key')).toThrow(/already in use/);
    expect(() => parseRamUsers([{ ...spec, id: '123' }, { ...spec, name: 'b', accessKeyId: 'b-key', id: '123' }])).toThrow(/id 123 is already in use/);
    expect(() => parseRamUsers([{ ...spec, id: accountIdOf('owner-key') }], 'owner-key')).toThrow(/is already in use/);
  });

  it('a securityToken makes STS credentials: kept, masked when shown, non-empty, and one per user', () => {
    const [sts] = parseRamUsers([{ ...spec, securityToken: 'CAIS-token' }]);
    expect(sts!.securityToken).toBe('CAIS-token');
    expect(parseRamUsers([spec])[0]!.securityToken).toBeUndefined();
    expect(describeRamUser(sts!, () => 'masked')).toMatchObject({ accessKeySecret: 'masked', securityToken: 'masked' });
    expect(describeRamUser(sts!, (secret) => secret).securityToken).toBe('CAIS-token');
    expect('securityToken' in describeRamUser(parseRamUsers([spec])[0]!, (secret) => secret)).toBe(false);
    expect(() => parseRamUsers([{ ...spec, securityToken: '' }])).toThrow(/"securityToken" must be a non-empty string/);
    expect(() => parseRamUsers([{ ...spec, securityToken: 7 }])).toThrow(/"securityToken"/);
    const twice = [{ ...spec, securityToken: 't' }, { ...spec, name: 'b', accessKeyId: 'b-key', securityToken: 't' }];
    expect(() => parseRamUsers(twice)).toThrow(/RAM user "b": its securityToken is already in use/);
  });

  it('--ram-users takes inline JSON, one user or a list, or a file path', () => {
    expect(readRamUsersOption(JSON.stringify(spec))).toHaveLength(1);
    expect(readRamUsersOption(JSON.stringify([spec, { ...spec, name: 'b', accessKeyId: 'b-key' }]))).toHaveLength(2);
    expect(readRamUsersOption('')).toEqual([]);
    expect(() => readRamUsersOption('[{')).toThrow(/not JSON/);
    expect(() => readRamUsersOption('/no/such/file.json')).toThrow(/cannot read/);
  });
});
