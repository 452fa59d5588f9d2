import { describe, expect, test } from 'vitest';
import { ObjectRecordCache } from './record-cache.js';
import type { ObjectRecord } from './types.js';

const record = (key: string): ObjectRecord => ({
  bucket: 'b',
  key,
  type: 'Normal',
  blobId: 1,
  size: 0,
  crc64: 0n,
  etag: 'E',
  lastModified: 0,
  acl: 'default',
  storageClass: 'Standard',
  httpHeaders: {},
  userMeta: [],
  tags: [],
});

describe('ObjectRecordCache', () => {
  test('keeps at most its capacity, dropping the record remembered longest ago', () => {
    const cache = new ObjectRecordCache(2);
    cache.remember(record('a'));
    cache.remember(record('b'));
    cache.remember(record('a')); // remembered again: now the newest
    cache.remember(record('c'));
    expect(cache.size).toBe(2);
    expect(cache.get('b', 'a')?.key).toBe('a');
    expect(cache.get('b', 'b')).toBeUndefined();
    expect(cache.get('b', 'c')?.key).toBe('c');
  });

  test('names an object by bucket and key, and forgets one or all', () => {
    const cache = new ObjectRecordCache();
    cache.remember(record('x/y'));
    expect(cache.get('b', 'x/y')).toBeDefined();
    expect(cache.get('b/x', 'y')).toBeDefined(); // impossible: a bucket name has no '/'
    cache.forget('b', 'x/y');
    expect(cache.get('b', 'x/y')).toBeUndefined();
    cache.remember(record('z'));
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
