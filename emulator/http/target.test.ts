import { describe, expect, test } from 'vitest';
import { OssError } from '../errors/oss-error.js';
import { bucketFromHost, parseQuery, resolveTarget } from './target.js';

describe('resolveTarget', () => {
  test('path style: /bucket/key with the key percent-decoded, + as space, %2F as slash', () => {
    expect(resolveTarget('127.0.0.1:8080', '/bkt/dir%2Fa+b%2Bc.txt?append&position=0')).toEqual({
      bucket: 'bkt',
      key: 'dir/a b+c.txt',
      query: [['append', null], ['position', '0']],
      style: 'path',
    });
  });

  test('path style: service, bucket with and without trailing slash', () => {
    expect(resolveTarget('localhost:8080', '/')).toEqual({ query: [], style: 'path' });
    expect(resolveTarget('localhost:8080', '/bkt')).toMatchObject({ bucket: 'bkt', key: undefined });
    expect(resolveTarget('localhost:8080', '/bkt/?prefix=a')).toMatchObject({ bucket: 'bkt', key: undefined, query: [['prefix', 'a']] });
  });

  test('keys keep repeated and trailing slashes', () => {
    expect(resolveTarget('127.0.0.1', '/bkt/a//b/')).toMatchObject({ key: 'a//b/' });
  });

  test('ali-oss with an IP endpoint: bucket from the forged Host, the whole path is the key', () => {
    expect(resolveTarget('bkt.oss-cn-hangzhou.aliyuncs.com', '/dir/obj?append=&position=0')).toEqual({
      bucket: 'bkt',
      key: 'dir/obj',
      query: [['append', ''], ['position', '0']],
      style: 'virtual-host',
    });
  });

  test('ali-oss ListBuckets: an empty first label is a service request', () => {
    expect(resolveTarget('.oss-cn-hangzhou.aliyuncs.com', '/')).toEqual({ bucket: undefined, key: undefined, query: [], style: 'virtual-host' });
  });

  test('ali-oss sldEnable with an IP endpoint sends both: like real OSS, the bucket comes from Host', () => {
    expect(resolveTarget('bkt.oss-cn-hangzhou.aliyuncs.com', '/bkt/dir/obj')).toMatchObject({ bucket: 'bkt', key: 'bkt/dir/obj' });
  });

  test('a fully qualified Host (trailing dot) is the same host', () => {
    expect(resolveTarget('bkt.oss-cn-hangzhou.aliyuncs.com.:8080', '/k')).toMatchObject({ bucket: 'bkt', key: 'k', style: 'virtual-host' });
    expect(resolveTarget('bkt.localhost.', '/k')).toMatchObject({ bucket: 'bkt', key: 'k', style: 'virtual-host' });
  });

  test('the region endpoint itself is path style', () => {
    expect(resolveTarget('oss-cn-hangzhou.aliyuncs.com', '/bkt/k')).toMatchObject({ bucket: 'bkt', key: 'k', style: 'path' });
  });

  test('<bucket>.localhost with a port', () => {
    expect(resolveTarget('bkt.localhost:9000', '/k')).toMatchObject({ bucket: 'bkt', key: 'k', style: 'virtual-host' });
  });

  test('absolute-form request targets carry their own authority', () => {
    expect(resolveTarget('proxy:3128', 'http://127.0.0.1:8080/bkt/k?acl')).toMatchObject({ bucket: 'bkt', key: 'k', query: [['acl', null]] });
    expect(resolveTarget(undefined, 'http://bkt.oss-cn-beijing.aliyuncs.com/k')).toMatchObject({ bucket: 'bkt', key: 'k' });
    expect(resolveTarget(undefined, 'http://127.0.0.1:8080')).toEqual({ query: [], style: 'path' });
  });

  test("the Go SDK 1.5.0 GetObjectMeta query `??objectMeta` is a parameter named '?objectMeta'", () => {
    expect(resolveTarget('127.0.0.1', '/bkt/k??objectMeta').query).toEqual([['?objectMeta', null]]);
  });

  test('malformed percent-encoding is a client error, not a crash', () => {
    expect(() => resolveTarget('127.0.0.1', '/bkt/%E0%A4%A')).toThrow(OssError);
    expect(() => resolveTarget('127.0.0.1', '/bkt/k?x=%ZZ')).toThrow(OssError);
  });
});

test('bucketFromHost', () => {
  expect(bucketFromHost('bkt.oss-cn-hangzhou.aliyuncs.com:443')).toBe('bkt');
  expect(bucketFromHost('BKT.oss-cn-hangzhou-internal.aliyuncs.com')).toBe('bkt');
  expect(bucketFromHost('oss-cn-hangzhou.aliyuncs.com')).toBeUndefined();
  expect(bucketFromHost('127.0.0.1:8080')).toBeUndefined();
  expect(bucketFromHost('[::1]:8080')).toBeUndefined();
  expect(bucketFromHost('localhost')).toBeUndefined();
  expect(bucketFromHost('bkt.localhost')).toBe('bkt');
});

test('parseQuery keeps order, bare names and empty values apart', () => {
  expect(parseQuery('position=0&append')).toEqual([['position', '0'], ['append', null]]);
  expect(parseQuery('append=&&prefix=a%20b+c')).toEqual([['append', ''], ['prefix', 'a b c']]);
});
