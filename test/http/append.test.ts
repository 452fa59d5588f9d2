/**
 * AppendObject on the wire (facts §1): position rules, the 409s and their headers, whole-object
 * CRC-64, appendable ETags, metadata fixed by the creating append, limits and interactions; and
 * SealAppendObject, which ends an appendable object's growth.
 */
import { describe, expect, it } from 'vitest';
import { crc64 } from '../../client/crc64.js';
import type { RunningEmulator } from '../../emulator/index.js';
import {
  acrossRestart,
  crcOf,
  errorOf,
  expectEmptySuccess,
  expectError,
  md5Base64,
  parseXml,
  rawOss,
  sleep,
  useTestEmulator,
  type OssClient,
  type OssResponse,
} from './helpers.js';

const B = 'append-bkt';
let emu: RunningEmulator;
let oss: OssClient;

useTestEmulator(B, (e, o) => ((emu = e), (oss = o)));

const APPENDABLE_ETAG = /^"[0-9A-F]{24}00000000"$/;

function expectPositionError(res: OssResponse, next: number): void {
  expectError(res, 409, 'PositionNotEqualToLength', { ec: '0026-00000016', message: 'Position is not equal to file length' });
  expect(res.headers['x-oss-next-append-position']).toBe(String(next));
}

async function content(key: string): Promise<string> {
  const res = await oss.get(B, key);
  expect(res.status).toBe(200);
  return res.text;
}

describe('creating and chaining appends', () => {
  it('creates an Appendable object at position 0: 200, empty body, next position, whole CRC, appendable ETag', async () => {
    const res = await oss.append(B, 'a.txt', 0, 'foo');
    expectEmptySuccess(res);
    expect(res.headers['x-oss-next-append-position']).toBe('3');
    expect(res.headers['x-oss-hash-crc64ecma']).toBe('10965392271467943256'); // CRC-64 of "foo" (sdk-wire §0)
    expect(res.headers['etag']).toMatch(APPENDABLE_ETAG);
    expect(res.headers['content-type']).toBeUndefined();
  });

  it('chains appends: positions add up, the CRC covers the whole object and the ETag changes every time', async () => {
    const first = await oss.append(B, 'chain', 0, 'foo');
    const second = await oss.append(B, 'chain', 3, 'bar');
    expectEmptySuccess(second);
    expect(second.headers['x-oss-next-append-position']).toBe('6');
    expect(second.headers['x-oss-hash-crc64ecma']).toBe('6001682485122215966'); // CRC("foobar")
    const third = await oss.append(B, 'chain', 6, 'baz');
    expect(third.headers['x-oss-next-append-position']).toBe('9');
    expect(third.headers['x-oss-hash-crc64ecma']).toBe('9240600635424475731'); // CRC("foobarbaz")
    expect(third.headers['x-oss-hash-crc64ecma']).toBe(crcOf('foobarbaz'));
    const etags = [first, second, third].map((r) => r.headers['etag']);
    for (const etag of etags) expect(etag).toMatch(APPENDABLE_ETAG);
    expect(new Set(etags).size).toBe(3);
    expect(await content('chain')).toBe('foobarbaz');
  });

  it('the CRC of each answer continues the previous one (what SDKs check with init_crc)', async () => {
    const first = await oss.append(B, 'crc', 0, 'hello ');
    const second = await oss.append(B, 'crc', 6, 'world');
    const continued = crc64(Buffer.from('world'), BigInt(first.headers['x-oss-hash-crc64ecma']!));
    expect(second.headers['x-oss-hash-crc64ecma']).toBe(continued.toString());
  });

  it('creates a 0-byte appendable object with an empty body at position 0', async () => {
    const res = await oss.append(B, 'empty', 0, '');
    expectEmptySuccess(res);
    expect(res.headers['x-oss-next-append-position']).toBe('0');
    expect(res.headers['x-oss-hash-crc64ecma']).toBe('0');
    // Position 0 is the length of an empty appendable object, so appending there works.
    const again = await oss.append(B, 'empty', 0, 'x');
    expect(again.status).toBe(200);
    expect(again.headers['x-oss-next-append-position']).toBe('1');
  });

  it('[GUESS] an empty append at the current length: 200, position, CRC and ETag unchanged, Last-Modified bumped', async () => {
    const first = await oss.append(B, 'noop', 0, 'abc');
    const before = await oss.head(B, 'noop');
    await sleep(1100);
    const res = await oss.append(B, 'noop', 3, '');
    expectEmptySuccess(res);
    expect(res.headers['x-oss-next-append-position']).toBe('3');
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(first.headers['x-oss-hash-crc64ecma']);
    expect(res.headers['etag']).toBe(first.headers['etag']);
    const after = await oss.head(B, 'noop');
    expect(Date.parse(after.headers['last-modified']!)).toBeGreaterThan(Date.parse(before.headers['last-modified']!));
    expect(after.headers['last-modified']).toBe(res.headers['date']);
  });

  it('accepts a chunked body (Transfer-Encoding: chunked, no Content-Length)', async () => {
    const res = await rawOss(emu.port, { method: 'POST', bucket: B, key: 'chunked', query: 'append&position=0' }, { chunks: ['hel', 'lo ', 'chunks'] });
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['x-oss-next-append-position']).toBe('12');
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf('hello chunks'));
    const next = await rawOss(emu.port, { method: 'POST', bucket: B, key: 'chunked', query: 'append&position=12' }, { chunks: ['!'] });
    expect(next.status).toBe(200);
    expect(next.headers['x-oss-next-append-position']).toBe('13');
    expect(await content('chunked')).toBe('hello chunks!');
  });
});

describe('the query string', () => {
  it.each([
    ['append&position=0'],
    ['position=0&append'],
    ['append=&position=0'],
    ['position=0&append='],
  ])('accepts %s', async (query) => {
    const res = await oss.send({ method: 'POST', bucket: B, key: 'q', query, body: 'data' });
    expectEmptySuccess(res);
    expect(res.headers['x-oss-next-append-position']).toBe('4');
  });

  it('missing position → 400 MissingArgument', async () => {
    const res = await oss.send({ method: 'POST', bucket: B, key: 'q', query: 'append', body: 'data' });
    expectError(res, 400, 'MissingArgument', { ec: '0016-00000501', message: 'Missing Some Required Arguments.' });
    expect((await oss.head(B, 'q')).status).toBe(404);
  });

  it('[GUESS] an empty position (`position=`) is treated as missing → 400 MissingArgument', async () => {
    const res = await oss.send({ method: 'POST', bucket: B, key: 'q', query: 'append&position=', body: 'data' });
    expectError(res, 400, 'MissingArgument', { ec: '0016-00000501' });
  });

  it.each([['abc'], ['-1'], ['1.5'], ['0x10'], ['%20']])('[GUESS] position=%s → 400 InvalidArgument (EC 0016-00000502)', async (value) => {
    const res = await oss.send({ method: 'POST', bucket: B, key: 'q', query: `append&position=${value}`, body: 'data' });
    expectError(res, 400, 'InvalidArgument', { ec: '0016-00000502' });
    expect((await oss.head(B, 'q')).status).toBe(404);
  });
});

describe('position rules', () => {
  it('position ≠ length → 409 PositionNotEqualToLength with x-oss-next-append-position: <length>', async () => {
    await oss.append(B, 'p', 0, 'hello');
    for (const position of [4, 6, 100]) expectPositionError(await oss.append(B, 'p', position, 'x'), 5);
    expect(await content('p')).toBe('hello');
  });

  it('[GUESS] position ≠ 0 on an absent key → 409 with x-oss-next-append-position: 0, nothing created', async () => {
    expectPositionError(await oss.append(B, 'absent', 3, 'abc'), 0);
    expect((await oss.head(B, 'absent')).status).toBe(404);
  });

  it('position 0 on a non-empty appendable object → 409 and the object is unchanged', async () => {
    const created = await oss.append(B, 'zero', 0, 'original');
    expectPositionError(await oss.append(B, 'zero', 0, 'new'), 8);
    expect(await content('zero')).toBe('original');
    const head = await oss.head(B, 'zero');
    expect(head.headers['etag']).toBe(created.headers['etag']);
    expect(head.headers['x-oss-hash-crc64ecma']).toBe(crcOf('original'));
  });

  it('appending to a PutObject object → 409 ObjectNotAppendable, whatever the position', async () => {
    await oss.put(B, 'normal', 'abc');
    for (const position of [0, 3]) {
      expectError(await oss.append(B, 'normal', position, 'x'), 409, 'ObjectNotAppendable', {
        ec: '0026-00000017',
        message: 'The object is not appendable',
      });
    }
    expect(await content('normal')).toBe('abc');
  });

  it('append to a missing bucket → 404 NoSuchBucket', async () => {
    expectError(await oss.append('no-such-bucket', 'k', 0, 'x'), 404, 'NoSuchBucket', { ec: '0015-00000101' });
  });
});

describe('concurrency and forbid-overwrite', () => {
  it('of several concurrent appends at the same position exactly one wins; the others get 409 with the new length', async () => {
    await oss.append(B, 'race', 0, 'abc');
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => oss.append(B, 'race', 3, `<${i}>`)));
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => r.status !== 200)) expectPositionError(loser, 6);
    const body = await content('race');
    expect(body).toMatch(/^abc<\d>$/);
    expect((await oss.head(B, 'race')).headers['x-oss-hash-crc64ecma']).toBe(crcOf(body));
  });

  it('[GUESS] x-oss-forbid-overwrite: true does not stop an append (creating or continuing)', async () => {
    expectEmptySuccess(await oss.append(B, 'fo', 0, 'a', { 'x-oss-forbid-overwrite': 'true' }));
    expectEmptySuccess(await oss.append(B, 'fo', 1, 'b', { 'x-oss-forbid-overwrite': 'true' }));
    expect(await content('fo')).toBe('ab');
  });
});

describe('Content-MD5', () => {
  it('a matching Content-MD5 (of this request body only) is accepted', async () => {
    await oss.append(B, 'md5', 0, 'abc');
    const res = await oss.append(B, 'md5', 3, 'def', { 'Content-MD5': md5Base64('def') });
    expectEmptySuccess(res);
    expect(res.headers['x-oss-next-append-position']).toBe('6');
  });

  it('a mismatching Content-MD5 → 400 InvalidDigest and nothing is appended', async () => {
    const created = await oss.append(B, 'md5', 0, 'abc');
    const res = await oss.append(B, 'md5', 3, 'def', { 'Content-MD5': md5Base64('abcdef') });
    expectError(res, 400, 'InvalidDigest', { ec: '0017-00000503', message: 'The Content-MD5 you specified was invalid.' });
    const head = await oss.head(B, 'md5');
    expect(head.headers['x-oss-next-append-position']).toBe('3');
    expect(head.headers['etag']).toBe(created.headers['etag']);
    expect(await content('md5')).toBe('abc');
    // The position is still 3: the rejected bytes left no trace.
    expect((await oss.append(B, 'md5', 3, 'def')).status).toBe(200);
  });

  it('a mismatching Content-MD5 on the creating append creates nothing', async () => {
    const res = await oss.append(B, 'md5-new', 0, 'abc', { 'Content-MD5': md5Base64('xyz') });
    expectError(res, 400, 'InvalidDigest');
    expect((await oss.head(B, 'md5-new')).status).toBe(404);
  });

  it('a malformed Content-MD5 → 400 InvalidDigest (EC 0017-00000502), checked after the bucket, the type and the position', async () => {
    const res = await oss.append(B, 'md5-bad', 0, 'abc', { 'Content-MD5': 'not-base64' });
    expectError(res, 400, 'InvalidDigest', { ec: '0017-00000502' });
    expectError(await oss.append('append-no-such-bucket', 'k', 0, 'abc', { 'Content-MD5': 'not-base64' }), 404, 'NoSuchBucket');
    expect((await oss.put(B, 'md5-normal', 'abc')).status).toBe(200);
    expectError(await oss.append(B, 'md5-normal', 3, 'abc', { 'Content-MD5': 'not-base64' }), 409, 'ObjectNotAppendable');
    expectError(await oss.append(B, 'md5-new', 5, 'abc', { 'Content-MD5': 'not-base64' }), 409, 'PositionNotEqualToLength');
  });
});

describe('metadata belongs to the creating append', () => {
  const creating = {
    'Content-Type': 'text/x-first',
    'Cache-Control': 'no-cache',
    'Content-Disposition': 'attachment; filename="first.txt"',
    'x-oss-meta-my': 'myprop',
    'x-oss-tagging': 'k1=v1&k2=v2',
    'x-oss-storage-class': 'IA',
    'x-oss-object-acl': 'public-read-write',
  };

  it('stores meta, tags, content headers, storage class and ACL from the creating append', async () => {
    expectEmptySuccess(await oss.append(B, 'meta', 0, 'one', creating));
    const head = await oss.head(B, 'meta');
    expect(head.headers['content-type']).toBe('text/x-first');
    expect(head.headers['cache-control']).toBe('no-cache');
    expect(head.headers['content-disposition']).toBe('attachment; filename="first.txt"');
    expect(head.headers['x-oss-meta-my']).toBe('myprop');
    expect(head.headers['x-oss-storage-class']).toBe('IA');
    expect(head.headers['x-oss-tagging-count']).toBe('2');
    const acl = parseXml((await oss.get(B, 'meta', {}, 'acl')).text);
    expect(acl).toMatchObject({ AccessControlPolicy: { AccessControlList: { Grant: 'public-read-write' } } });
  });

  it('ignores meta, tags, content headers and storage class on later appends, without error', async () => {
    await oss.append(B, 'meta', 0, 'one', creating);
    const later = await oss.append(B, 'meta', 3, 'two', {
      'Content-Type': 'text/x-second',
      'Cache-Control': 'max-age=60',
      'x-oss-meta-my': 'myproptwo',
      'x-oss-meta-mine': 'mine',
      'x-oss-tagging': 'k3=v3',
      'x-oss-storage-class': 'Archive',
    });
    expectEmptySuccess(later);
    const head = await oss.head(B, 'meta');
    expect(head.headers['content-type']).toBe('text/x-first');
    expect(head.headers['cache-control']).toBe('no-cache');
    expect(head.headers['x-oss-meta-my']).toBe('myprop');
    expect(head.headers['x-oss-meta-mine']).toBeUndefined();
    expect(head.headers['x-oss-storage-class']).toBe('IA');
    const tags = parseXml((await oss.get(B, 'meta', {}, 'tagging')).text);
    expect(tags).toEqual({ '?xml': expect.anything(), Tagging: { TagSet: { Tag: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] } } });
    expect(await content('meta')).toBe('onetwo');
  });

  it('an invalid x-oss-tagging (15 tags) on a later append succeeds and changes nothing (py1 real-service test)', async () => {
    await oss.append(B, 'tags', 0, 'one');
    const fifteen = Array.from({ length: 15 }, (_, i) => `k${i}=v${i}`).join('&');
    expectEmptySuccess(await oss.append(B, 'tags', 3, 'two', { 'x-oss-tagging': fifteen }));
    const head = await oss.head(B, 'tags');
    expect(head.headers['x-oss-tagging-count']).toBeUndefined();
    expect(head.headers['x-oss-next-append-position']).toBe('6');
  });

  it('[GUESS] invalid meta names and ColdArchive on a later append are ignored too', async () => {
    await oss.append(B, 'lenient', 0, 'one');
    const res = await oss.append(B, 'lenient', 3, 'two', { 'x-oss-meta-bad_name': 'v', 'x-oss-storage-class': 'ColdArchive' });
    expectEmptySuccess(res);
    const head = await oss.head(B, 'lenient');
    expect(head.headers['x-oss-storage-class']).toBe('Standard');
    expect(head.headers['x-oss-meta-bad_name']).toBeUndefined();
  });

  it('an invalid x-oss-tagging on the creating append → 400 InvalidArgument and nothing created', async () => {
    const fifteen = Array.from({ length: 15 }, (_, i) => `k${i}=v${i}`).join('&');
    expectError(await oss.append(B, 'tags-bad', 0, 'one', { 'x-oss-tagging': fifteen }), 400, 'InvalidArgument');
    expect((await oss.head(B, 'tags-bad')).status).toBe(404);
  });

  it('x-oss-object-acl on a later append changes the object ACL (go1 TestAppendObject)', async () => {
    await oss.append(B, 'acl', 0, 'one', { 'x-oss-object-acl': 'public-read-write', 'x-oss-meta-my': 'myprop' });
    expectEmptySuccess(await oss.append(B, 'acl', 3, 'two', { 'x-oss-object-acl': 'public-read', 'x-oss-meta-my': 'myproptwo' }));
    const acl = parseXml((await oss.get(B, 'acl', {}, 'acl')).text);
    expect(acl).toMatchObject({ AccessControlPolicy: { AccessControlList: { Grant: 'public-read' } } });
    expect((await oss.head(B, 'acl')).headers['x-oss-meta-my']).toBe('myprop');
  });

  it('[GUESS] an invalid x-oss-object-acl on a later append → 400 InvalidArgument, nothing appended', async () => {
    await oss.append(B, 'acl-bad', 0, 'one');
    expectError(await oss.append(B, 'acl-bad', 3, 'two', { 'x-oss-object-acl': 'everyone' }), 400, 'InvalidArgument');
    expect(await content('acl-bad')).toBe('one');
  });

  it('without Content-Type the type comes from the key extension', async () => {
    await oss.append(B, 'page.html', 0, '<p>');
    expect((await oss.head(B, 'page.html')).headers['content-type']).toMatch(/^text\/html/);
    await oss.append(B, 'blob.unknownext', 0, 'x');
    expect((await oss.head(B, 'blob.unknownext')).headers['content-type']).toBe('application/octet-stream');
  });
});

describe('storage class on the creating append', () => {
  it.each([['ColdArchive'], ['DeepColdArchive']])('%s → 400 InvalidArgument (EC 0016-00000503), nothing created', async (storageClass) => {
    const res = await oss.append(B, 'cold', 0, 'x', { 'x-oss-storage-class': storageClass });
    expectError(res, 400, 'InvalidArgument', { ec: '0016-00000503' });
    expect((await oss.head(B, 'cold')).status).toBe(404);
  });

  it.each([['Standard'], ['IA'], ['Archive']])('%s is accepted', async (storageClass) => {
    expectEmptySuccess(await oss.append(B, 'warm', 0, 'x', { 'x-oss-storage-class': storageClass }));
    expect((await oss.head(B, 'warm')).headers['x-oss-storage-class']).toBe(storageClass);
  });
});

describe('the 5 GiB cap', () => {
  const FIVE_GIB = 5 * 1024 ** 3;

  it('[GUESS] a creating append whose Content-Length exceeds 5 GiB → 400 InvalidArgument before any byte is read', async () => {
    const res = await rawOss(
      emu.port,
      { method: 'POST', bucket: B, key: 'huge', query: 'append&position=0' },
      { extraHeaders: { 'Content-Length': String(FIVE_GIB + 1) }, rawBody: 'only a few bytes' },
    );
    expectError(res, 400, 'InvalidArgument');
    expect((await oss.head(B, 'huge')).status).toBe(404);
  });

  it('[GUESS] a later append that would take the object past 5 GiB → 400 InvalidArgument, object unchanged', async () => {
    await oss.append(B, 'huge', 0, 'abc');
    const res = await rawOss(
      emu.port,
      { method: 'POST', bucket: B, key: 'huge', query: 'append&position=3' },
      { extraHeaders: { 'Content-Length': String(FIVE_GIB - 2) }, rawBody: 'x' },
    );
    expectError(res, 400, 'InvalidArgument');
    expect((await oss.head(B, 'huge')).headers['x-oss-next-append-position']).toBe('3');
  });
});

describe('interactions with other operations', () => {
  it('PutObject over an appendable object makes it Normal (then appending is ObjectNotAppendable)', async () => {
    await oss.append(B, 'conv', 0, 'appendable');
    const put = await oss.put(B, 'conv', 'normal');
    expectEmptySuccess(put);
    const head = await oss.head(B, 'conv');
    expect(head.headers['x-oss-object-type']).toBe('Normal');
    expect(head.headers['x-oss-next-append-position']).toBeUndefined();
    expect(head.headers['content-md5']).toBe(md5Base64('normal'));
    expectError(await oss.append(B, 'conv', 6, 'x'), 409, 'ObjectNotAppendable');
  });

  it('delete, then re-create as appendable at position 0', async () => {
    await oss.put(B, 'recreate', 'normal');
    expect((await oss.delete(B, 'recreate')).status).toBe(204);
    const res = await oss.append(B, 'recreate', 0, 'again');
    expectEmptySuccess(res);
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf('again'));
    expect((await oss.head(B, 'recreate')).headers['x-oss-object-type']).toBe('Appendable');
  });

  it('HEAD and GET of an appendable object: type, next position, whole CRC, appendable ETag, no Content-MD5', async () => {
    await oss.append(B, 'hg', 0, 'foo');
    const last = await oss.append(B, 'hg', 3, 'barbaz');
    for (const res of [await oss.head(B, 'hg'), await oss.get(B, 'hg')]) {
      expect(res.status).toBe(200);
      expect(res.headers['x-oss-object-type']).toBe('Appendable');
      expect(res.headers['x-oss-next-append-position']).toBe('9');
      expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf('foobarbaz'));
      expect(res.headers['etag']).toBe(last.headers['etag']);
      expect(res.headers['content-md5']).toBeUndefined();
      expect(res.headers['content-length']).toBe('9');
    }
  });

  it('a range GET of an appendable object reports the whole-object CRC', async () => {
    await oss.append(B, 'range', 0, '0123456789');
    const res = await oss.get(B, 'range', { Range: 'bytes=2-4' });
    expect(res.status).toBe(206);
    expect(res.text).toBe('234');
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf('0123456789'));
    expect(res.headers['x-oss-next-append-position']).toBe('10');
  });

  it('listing shows <Type>Appendable</Type>', async () => {
    await oss.append(B, 'listed', 0, 'x');
    const list = parseXml((await oss.bucket('GET', B)).text) as { ListBucketResult: { Contents: Array<{ Type: string; Key: string }> } };
    expect(list.ListBucketResult.Contents).toEqual([expect.objectContaining({ Key: 'listed', Type: 'Appendable' })]);
  });

  it('ali-oss style: Host names the bucket, x-oss-date only, `append=` first', async () => {
    const res = await oss.send({
      method: 'POST',
      bucket: B,
      key: 'dir/obj',
      path: '/dir/obj',
      host: `${B}.oss-cn-hangzhou.aliyuncs.com`,
      query: 'append=&position=0',
      auth: 'v1-oss-date',
      body: 'ali',
      headers: { 'Content-MD5': md5Base64('ali') },
    });
    expectEmptySuccess(res);
    expect(await content('dir/obj')).toBe('ali');
  });
});

describe('SealAppendObject', () => {
  const seal = (key: string, position: number | string | undefined, bucket = B): Promise<OssResponse> =>
    oss.send({
      method: 'POST',
      bucket,
      key,
      query: position === undefined ? 'seal' : `seal&position=${position}`,
      // As the v2 SDKs send it: an XML content type and the MD5 of the empty body.
      headers: { 'Content-Type': 'application/xml', 'Content-MD5': '1B2M2Y8AsgTpgAmY7PhCfg==' },
    });
  const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

  it('at the current length: 200, empty body, x-oss-sealed-time; HEAD and GET show it, the rest unchanged', async () => {
    await oss.append(B, 'sealed', 0, 'foo');
    const last = await oss.append(B, 'sealed', 3, 'bar');
    const unsealed = await oss.head(B, 'sealed');
    expect(unsealed.headers['x-oss-sealed-time']).toBeUndefined();
    const res = await seal('sealed', 6);
    expectEmptySuccess(res);
    const sealedTime = res.headers['x-oss-sealed-time'];
    expect(sealedTime).toMatch(HTTP_DATE);
    expect(Math.abs(Date.parse(sealedTime!) - Date.now())).toBeLessThan(5000);
    for (const read of [await oss.head(B, 'sealed'), await oss.get(B, 'sealed')]) {
      expect(read.status).toBe(200);
      expect(read.headers['x-oss-sealed-time']).toBe(sealedTime);
      // The Java SDK's SealAppendObjectTest (against OSS): the type stays Appendable.
      expect(read.headers['x-oss-object-type']).toBe('Appendable');
      expect(read.headers['etag']).toBe(last.headers['etag']);
      expect(read.headers['last-modified']).toBe(unsealed.headers['last-modified']);
      expect(read.headers['x-oss-hash-crc64ecma']).toBe(crcOf('foobar'));
    }
    expect(await content('sealed')).toBe('foobar');
  });

  it('[GUESS] an append to a sealed object → 409 AppendSealedObjectNotAllowed at any position, nothing appended', async () => {
    await oss.append(B, 'sealed', 0, 'abc');
    expectEmptySuccess(await seal('sealed', 3));
    for (const position of [3, 0, 7]) {
      const res = await oss.append(B, 'sealed', position, 'more');
      expectError(res, 409, 'AppendSealedObjectNotAllowed', { ec: '0026-00000019', message: 'The object has been sealed (SealAppendObject) and cannot be appended to.' });
      expect(errorOf(res)['Key']).toBe('sealed');
    }
    expect(await content('sealed')).toBe('abc');
    expect((await oss.head(B, 'sealed')).headers['x-oss-hash-crc64ecma']).toBe(crcOf('abc'));
  });

  it('a position other than the length → 409 PositionNotEqualToLength with the next position; not sealed', async () => {
    await oss.append(B, 'log', 0, 'abcd');
    expectPositionError(await seal('log', 3), 4);
    expectPositionError(await seal('log', 0), 4);
    expect((await oss.head(B, 'log')).headers['x-oss-sealed-time']).toBeUndefined();
    expectEmptySuccess(await oss.append(B, 'log', 4, 'e'));
  });

  it('sealing again at the length keeps the first seal time; at another position → 409 (go2 TestSealAppendObject)', async () => {
    await oss.append(B, 'twice', 0, 'abc');
    const first = await seal('twice', 3);
    expectEmptySuccess(first);
    await sleep(1100); // the time has whole seconds: a second seal must fall in a later one to show it is not taken
    const again = await seal('twice', 3);
    expectEmptySuccess(again);
    expect(again.headers['x-oss-sealed-time']).toBe(first.headers['x-oss-sealed-time']);
    expectPositionError(await seal('twice', 0), 3);
    expect((await oss.head(B, 'twice')).headers['x-oss-sealed-time']).toBe(first.headers['x-oss-sealed-time']);
  });

  it('an empty appendable object can be sealed at 0', async () => {
    await oss.append(B, 'empty', 0, '');
    expectEmptySuccess(await seal('empty', 0));
    expectError(await oss.append(B, 'empty', 0, 'x'), 409, 'AppendSealedObjectNotAllowed');
  });

  it('a Normal, Multipart or Symlink object → 409 AppendSealedObjectNotAllowed, whatever the position (the SealAppendObject error table)', async () => {
    await oss.put(B, 'normal', 'xyz');
    expect((await oss.multipartUpload(B, 'multi', [Buffer.from('part')])).status).toBe(200);
    expect((await oss.send({ method: 'PUT', bucket: B, key: 'link', query: 'symlink', headers: { 'x-oss-symlink-target': 'normal' } })).status).toBe(200);
    for (const [key, position] of [['normal', 3], ['normal', 0], ['multi', 4], ['link', 0]] as const) {
      const res = await seal(key, position);
      expectError(res, 409, 'AppendSealedObjectNotAllowed', { ec: '0026-00000019', message: 'The SealAppendObject operation is performed on a non-Appendable Object.' });
      expect((await oss.head(B, key)).headers['x-oss-sealed-time']).toBeUndefined();
    }
  });

  it('[GUESS] a missing key → 404 NoSuchKey; a missing bucket → 404 NoSuchBucket (go2 TestSealAppendObject)', async () => {
    expectError(await seal('absent', 0), 404, 'NoSuchKey', { ec: '0026-00000001' });
    expect((await oss.head(B, 'absent')).status).toBe(404);
    expectError(await seal('absent', 0, 'no-such-bucket-here'), 404, 'NoSuchBucket', { ec: '0015-00000101', message: 'The specified bucket does not exist.' });
  });

  it('a missing position → 400 MissingArgument; a malformed one → 400 InvalidArgument (as AppendObject)', async () => {
    await oss.append(B, 'log', 0, 'abc');
    const missing = await seal('log', undefined);
    expectError(missing, 400, 'MissingArgument');
    expect(errorOf(missing)['ArgumentName']).toBe('position');
    for (const position of ['', 'abc', '-3']) {
      const res = await seal('log', position);
      if (position === '') expectError(res, 400, 'MissingArgument');
      else expectError(res, 400, 'InvalidArgument', { ec: '0016-00000502' });
    }
    expect((await oss.head(B, 'log')).headers['x-oss-sealed-time']).toBeUndefined();
  });

  // On disk (useTestEmulator's emulator is in memory): there an append is journaled and committed in batches, and
  // answered from what the store remembers of the last one, which a seal must reckon with.
  it('on disk: a seal right after a run of small appends takes their total length; a seal racing appends lets exactly one side win; both survive a restart', async () => {
    const KEPT = 'seal-on-disk';
    const outcomes: Array<{ key: string; sealed: boolean; content: string }> = [];
    let expected = '';
    await acrossRestart(
      [KEPT],
      async (client) => {
        const sealOn = (key: string, position: number) => client.send({ method: 'POST', bucket: KEPT, key, query: `seal&position=${position}` });
        for (let i = 0; i < 30; i++) {
          expectEmptySuccess(await client.append(KEPT, 'burst', expected.length, `<${i}>`));
          expected += `<${i}>`;
        }
        expectEmptySuccess(await sealOn('burst', expected.length));
        expectError(await client.append(KEPT, 'burst', expected.length, 'late'), 409, 'AppendSealedObjectNotAllowed');
        for (let round = 0; round < 8; round++) {
          const key = `race-${round}`;
          await client.append(KEPT, key, 0, 'abc');
          await client.append(KEPT, key, 3, 'def'); // so the racers find a remembered append state
          const [sealed, ...appends] = await Promise.all([sealOn(key, 6), ...Array.from({ length: 4 }, (_, i) => client.append(KEPT, key, 6, `<${i}>`))]);
          const won = appends.filter((r) => r.status === 200);
          const content = (await client.get(KEPT, key)).text;
          if (sealed!.status === 200) {
            expect(won).toHaveLength(0);
            for (const lost of appends) expect(errorOf(lost).Code).toBe('AppendSealedObjectNotAllowed');
            expect(content).toBe('abcdef');
          } else {
            expectPositionError(sealed!, 9);
            expect(won).toHaveLength(1);
            expect(content).toMatch(/^abcdef<\d>$/);
          }
          outcomes.push({ key, sealed: sealed!.status === 200, content });
        }
      },
      async (client) => {
        expect((await client.get(KEPT, 'burst')).text).toBe(expected);
        expect((await client.head(KEPT, 'burst')).headers['x-oss-sealed-time']).toMatch(HTTP_DATE);
        for (const { key, sealed, content } of outcomes) {
          expect((await client.get(KEPT, key)).text).toBe(content);
          expect((await client.head(KEPT, key)).headers['x-oss-sealed-time'] !== undefined).toBe(sealed);
        }
      },
    );
  });

  it('a CopyObject of a sealed object onto itself (a metadata update) keeps it Appendable and sealed', async () => {
    await oss.append(B, 'meta', 0, 'abc');
    const sealedTime = (await seal('meta', 3)).headers['x-oss-sealed-time'];
    const copy = await oss.send({
      method: 'PUT',
      bucket: B,
      key: 'meta',
      headers: { 'x-oss-copy-source': `/${B}/meta`, 'x-oss-metadata-directive': 'REPLACE', 'x-oss-meta-owner': 'ops' },
    });
    expect(copy.status, copy.text).toBe(200);
    const head = await oss.head(B, 'meta');
    expect(head.headers['x-oss-meta-owner']).toBe('ops');
    expect(head.headers['x-oss-object-type']).toBe('Appendable');
    expect(head.headers['x-oss-sealed-time']).toBe(sealedTime);
    expectError(await oss.append(B, 'meta', 3, 'd'), 409, 'AppendSealedObjectNotAllowed');
  });

  it('[GUESS] PutObject over a sealed object makes a Normal, unsealed one; delete and append again makes a new appendable one', async () => {
    await oss.append(B, 'reborn', 0, 'abc');
    expectEmptySuccess(await seal('reborn', 3));
    expectEmptySuccess(await oss.put(B, 'reborn', 'normal'));
    const head = await oss.head(B, 'reborn');
    expect(head.headers['x-oss-object-type']).toBe('Normal');
    expect(head.headers['x-oss-sealed-time']).toBeUndefined();
    expect((await oss.delete(B, 'reborn')).status).toBe(204);
    expectEmptySuccess(await oss.append(B, 'reborn', 0, 'new'));
    expectEmptySuccess(await oss.append(B, 'reborn', 3, 'er'));
    expect((await oss.head(B, 'reborn')).headers['x-oss-sealed-time']).toBeUndefined();
  });

  it('[GUESS] the copy of a sealed object is a Normal object without a seal time', async () => {
    await oss.append(B, 'sealed', 0, 'abc');
    expectEmptySuccess(await seal('sealed', 3));
    const copy = await oss.send({ method: 'PUT', bucket: B, key: 'copy', headers: { 'x-oss-copy-source': `/${B}/sealed` } });
    expect(copy.status, copy.text).toBe(200);
    const head = await oss.head(B, 'copy');
    expect(head.headers['x-oss-object-type']).toBe('Normal');
    expect(head.headers['x-oss-sealed-time']).toBeUndefined();
  });

  it('the seal survives a restart', async () => {
    const KEPT = 'seal-kept';
    let sealedTime: string | undefined;
    await acrossRestart(
      [KEPT],
      async (client) => {
        expectEmptySuccess(await client.append(KEPT, 'log', 0, 'abc'));
        expectEmptySuccess(await client.append(KEPT, 'log', 3, 'def'));
        const res = await client.send({ method: 'POST', bucket: KEPT, key: 'log', query: 'seal&position=6' });
        expectEmptySuccess(res);
        sealedTime = res.headers['x-oss-sealed-time'];
      },
      async (client) => {
        expect((await client.head(KEPT, 'log')).headers['x-oss-sealed-time']).toBe(sealedTime);
        expectError(await client.append(KEPT, 'log', 6, 'g'), 409, 'AppendSealedObjectNotAllowed');
        expect((await client.get(KEPT, 'log')).text).toBe('abcdef');
      },
    );
  });
});
