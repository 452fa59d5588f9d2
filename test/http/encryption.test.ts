/**
 * Server-side encryption headers on the wire. ossemu stores bytes as they come, but an object
 * reports the encryption its writer chose exactly where OSS does: the Java SDK's
 * ObjectEncryptionTest, run against the service, checks every step below (PutObject, GET, three
 * appends with different headers, copies with and without, and each multipart step).
 */
import { describe, expect, it } from 'vitest';
import { acrossRestart, expectError, parseXml, useTestEmulator, type OssClient, type OssResponse } from './helpers.js';

const B = 'encryption-bkt';
let oss: OssClient;

useTestEmulator(B, (_e, o) => (oss = o));

const SSE = 'x-oss-server-side-encryption';
const DATA = 'x-oss-server-side-data-encryption';
const KEY_ID = 'x-oss-server-side-encryption-key-id';

/** What a response says of the encryption: the three headers, absent ones left out. */
function encryptionOf(res: OssResponse): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const name of [SSE, DATA, KEY_ID]) if (res.headers[name] !== undefined) shown[name] = res.headers[name]!;
  return shown;
}

const CHOICES: Array<Record<string, string>> = [
  {},
  { [SSE]: 'AES256' },
  { [SSE]: 'SM4' },
  { [SSE]: 'KMS' },
  { [SSE]: 'KMS', [DATA]: 'SM4' },
  { [SSE]: 'KMS', [KEY_ID]: '9468da86-3509-4f8d-a61e-6eab1eac0000' },
];

describe('an object reports the encryption its writer chose', () => {
  it.each(CHOICES)('PutObject %j: the response, GET and HEAD show it (and nothing without)', async (chosen) => {
    const put = await oss.put(B, 'put.txt', 'sealed', chosen);
    expect(put.status, put.text).toBe(200);
    expect(encryptionOf(put)).toEqual(chosen);
    expect(encryptionOf(await oss.get(B, 'put.txt'))).toEqual(chosen);
    expect(encryptionOf(await oss.head(B, 'put.txt'))).toEqual(chosen);
  });

  // OSS's AppendObject "Limits": no KMS key of one's choosing for an appendable object (refused below).
  const APPENDABLE_CHOICES = CHOICES.filter((chosen) => chosen[KEY_ID] === undefined);
  it.each(APPENDABLE_CHOICES)("AppendObject %j: every append's response shows the creating append's, whatever later ones send", async (chosen) => {
    await oss.delete(B, 'log');
    const first = await oss.append(B, 'log', 0, 'one', chosen);
    expect(first.status, first.text).toBe(200);
    expect(encryptionOf(first)).toEqual(chosen);
    const other = { [SSE]: 'KMS', [DATA]: 'SM4' };
    expect(encryptionOf(await oss.append(B, 'log', 3, 'two', other))).toEqual(chosen);
    // A later append's encryption headers are ignored, invalid ones too, as its other metadata is.
    expect(encryptionOf(await oss.append(B, 'log', 6, 'six', { [SSE]: 'DES' }))).toEqual(chosen);
    expect(encryptionOf(await oss.append(B, 'log', 9, 'ten', chosen))).toEqual(chosen);
    expect(encryptionOf(await oss.head(B, 'log'))).toEqual(chosen);
    expect((await oss.get(B, 'log')).text).toBe('onetwosixten');
  });

  it('AppendObject creating an object with a specified KMS key → 400 InvalidArgument, nothing written; a later append may send one (ignored)', async () => {
    await oss.delete(B, 'keyed');
    const withKey = { [SSE]: 'KMS', [KEY_ID]: '9468da86-3509-4f8d-a61e-6eab1eac0000' };
    const refused = expectError(await oss.append(B, 'keyed', 0, 'one', withKey), 400, 'InvalidArgument');
    expect(refused['ArgumentName']).toBe(KEY_ID);
    expect((await oss.head(B, 'keyed')).status).toBe(404);
    expect(encryptionOf(await oss.append(B, 'keyed', 0, 'one', { [SSE]: 'KMS' }))).toEqual({ [SSE]: 'KMS' });
    expect(encryptionOf(await oss.append(B, 'keyed', 3, 'two', withKey))).toEqual({ [SSE]: 'KMS' });
  });

  it("a copy has the request's encryption, never the source's", async () => {
    await oss.put(B, 'src', 'source bytes', { [SSE]: 'KMS', [DATA]: 'SM4' });
    const copy = (headers: Record<string, string>): Promise<OssResponse> =>
      oss.send({ method: 'PUT', bucket: B, key: 'dst', headers: { 'x-oss-copy-source': `/${B}/src`, ...headers } });
    for (const chosen of [{}, { [SSE]: 'AES256' }, { [SSE]: 'KMS', [DATA]: 'SM4' }] as Array<Record<string, string>>) {
      const copied = await copy(chosen);
      expect(copied.status, copied.text).toBe(200);
      expect(encryptionOf(copied)).toEqual(chosen);
      expect(encryptionOf(await oss.head(B, 'dst'))).toEqual(chosen);
    }
    // Onto itself (the Go SDK's SetObjectMeta) too: without the header the object has none.
    const onItself = await oss.send({ method: 'PUT', bucket: B, key: 'src', headers: { 'x-oss-copy-source': `/${B}/src`, 'x-oss-metadata-directive': 'REPLACE' } });
    expect(onItself.status, onItself.text).toBe(200);
    expect(encryptionOf(await oss.head(B, 'src'))).toEqual({});
  });

  it("Initiate, UploadPart, UploadPartCopy and Complete all show the upload's encryption; so does the object", async () => {
    const chosen = { [SSE]: 'KMS', [DATA]: 'SM4' };
    await oss.put(B, 'part-src', Buffer.alloc(100 * 1024, 1));
    const initiated = await oss.send({ method: 'POST', bucket: B, key: 'mp', query: 'uploads', headers: chosen });
    expect(encryptionOf(initiated)).toEqual(chosen);
    const uploadId = (parseXml(initiated.text)['InitiateMultipartUploadResult'] as { UploadId: string }).UploadId;
    const part = await oss.send({ method: 'PUT', bucket: B, key: 'mp', query: `partNumber=1&uploadId=${uploadId}`, body: Buffer.alloc(100 * 1024, 2) });
    expect(encryptionOf(part)).toEqual(chosen);
    const copied = await oss.send({ method: 'PUT', bucket: B, key: 'mp', query: `partNumber=2&uploadId=${uploadId}`, headers: { 'x-oss-copy-source': `/${B}/part-src` } });
    expect(encryptionOf(copied)).toEqual(chosen);
    const parts = [part, copied].map((p, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${p.headers['etag']}</ETag></Part>`).join('');
    const done = await oss.send({ method: 'POST', bucket: B, key: 'mp', query: `uploadId=${uploadId}`, body: `<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>` });
    expect(done.status, done.text).toBe(200);
    expect(encryptionOf(done)).toEqual(chosen);
    expect(encryptionOf(await oss.get(B, 'mp'))).toEqual(chosen);
  });
});

describe('on disk', () => {
  it("journaled appends show the creating append's encryption, and so does the object after a restart", async () => {
    const chosen = { [SSE]: 'KMS', [DATA]: 'SM4' };
    await acrossRestart(
      [B],
      async (disk) => {
        expect(encryptionOf(await disk.append(B, 'log', 0, 'a', chosen))).toEqual(chosen);
        for (let position = 1; position < 20; position++) expect(encryptionOf(await disk.append(B, 'log', position, 'b'))).toEqual(chosen);
      },
      async (disk) => {
        expect(encryptionOf(await disk.append(B, 'log', 20, 'c', { [SSE]: 'AES256' }))).toEqual(chosen);
        expect(encryptionOf(await disk.head(B, 'log'))).toEqual(chosen);
      },
    );
  });
});

describe('refused encryption headers', () => {
  it('an algorithm OSS does not have is 400 InvalidEncryptionAlgorithmError on every write that takes one, and nothing is written', async () => {
    expectError(await oss.put(B, 'bad', 'x', { [SSE]: 'DES' }), 400, 'InvalidEncryptionAlgorithmError', { ec: '0005-00000003' });
    expectError(await oss.put(B, 'bad', 'x', { [SSE]: 'aes256' }), 400, 'InvalidEncryptionAlgorithmError');
    expectError(await oss.append(B, 'bad', 0, 'x', { [SSE]: 'invalid' }), 400, 'InvalidEncryptionAlgorithmError');
    expectError(await oss.head(B, 'bad'), 404, 'NoSuchKey');
    expectError(await oss.send({ method: 'POST', bucket: B, key: 'bad', query: 'uploads', headers: { [SSE]: '' } }), 400, 'InvalidEncryptionAlgorithmError');
    // The Go SDK's SetObjectMeta with ServerSideEncryption("invalid") fails against OSS (its bucket_test.go).
    await oss.put(B, 'kept', 'x');
    const replace = { 'x-oss-copy-source': `/${B}/kept`, 'x-oss-metadata-directive': 'REPLACE', [SSE]: 'invalid' };
    expectError(await oss.send({ method: 'PUT', bucket: B, key: 'kept', headers: replace }), 400, 'InvalidEncryptionAlgorithmError');
  });

  it('the data encryption (SM4 only) and the key id go with KMS only: 400 InvalidArgument', async () => {
    expectError(await oss.put(B, 'bad', 'x', { [SSE]: 'AES256', [DATA]: 'SM4' }), 400, 'InvalidArgument', { ec: '0005-00000203' });
    expectError(await oss.put(B, 'bad', 'x', { [SSE]: 'KMS', [DATA]: 'AES256' }), 400, 'InvalidArgument', { ec: '0005-00000203' });
    expectError(await oss.put(B, 'bad', 'x', { [DATA]: 'SM4' }), 400, 'InvalidArgument', { ec: '0005-00000203' });
    expectError(await oss.put(B, 'bad', 'x', { [SSE]: 'SM4', [KEY_ID]: 'k' }), 400, 'InvalidArgument', { ec: '0005-00000204' });
    expectError(await oss.put(B, 'bad', 'x', { [KEY_ID]: 'k' }), 400, 'InvalidArgument', { ec: '0005-00000204' });
    expectError(await oss.head(B, 'bad'), 404, 'NoSuchKey');
  });

  it('any other request carrying x-oss-server-side-encryption is 400 InvalidArgument, EC 0005-00000002', async () => {
    await oss.put(B, 'obj', 'x');
    const sse = { [SSE]: 'AES256' };
    expectError(await oss.send({ method: 'DELETE', bucket: B, key: 'obj', headers: sse }), 400, 'InvalidArgument', { ec: '0005-00000002' });
    expectError(await oss.get(B, 'obj', sse), 400, 'InvalidArgument', { ec: '0005-00000002' });
    expectError(await oss.head(B, 'obj', sse), 400, 'InvalidArgument', { ec: '0005-00000002' });
    const initiated = await oss.send({ method: 'POST', bucket: B, key: 'mp2', query: 'uploads' });
    const uploadId = (parseXml(initiated.text)['InitiateMultipartUploadResult'] as { UploadId: string }).UploadId;
    const part = await oss.send({ method: 'PUT', bucket: B, key: 'mp2', query: `partNumber=1&uploadId=${uploadId}`, body: 'p', headers: sse });
    expectError(part, 400, 'InvalidArgument', { ec: '0005-00000002' });
    const complete = await oss.send({ method: 'POST', bucket: B, key: 'mp2', query: `uploadId=${uploadId}`, body: '', headers: { 'x-oss-complete-all': 'yes', ...sse } });
    expectError(complete, 400, 'InvalidArgument', { ec: '0005-00000002' });
    expect((await oss.get(B, 'obj')).text).toBe('x');
  });
});
