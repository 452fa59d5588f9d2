/**
 * PostObject: an HTML form upload (`POST /` on the bucket, multipart/form-data), sent as a browser
 * sends it, with a policy signed V1 or V4 the way ali-oss's calculatePostSignature and
 * signPostObjectPolicyV4 sign it. What OSS checks and answers: facts in docs/divergences.md.
 */
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import OSS from 'ali-oss';
import { describe, expect, it } from 'vitest';
import { v4SigningKey, v4Signature } from '../../client/signing/index.js';
import type { RunningEmulator } from '../../emulator/index.js';
import { crcOf, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, errorDocument, md5Hex, parseXml, useTestEmulator, type OssClient } from './helpers.js';

const B = 'post-bkt';
let emu: RunningEmulator;
let oss: OssClient;
useTestEmulator(B, (e, client) => ((emu = e), (oss = client)));

type Fields = Array<[string, string]>;
interface Posted {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** A form as a browser sends it: the fields in order, then the file part (its filename and type optional). */
async function post(fields: Fields, file: { content: string | Buffer; filename?: string; type?: string } | undefined, bucket = B, extra: Fields = []): Promise<Posted> {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  if (file) {
    const blob = new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)], file.type !== undefined ? { type: file.type } : {});
    if (file.filename !== undefined) form.append('file', blob, file.filename);
    else form.append('file', blob);
  }
  for (const [name, value] of extra) form.append(name, value);
  const res = await fetch(`http://127.0.0.1:${emu.port}/${bucket}`, { method: 'POST', body: form, redirect: 'manual' });
  return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
}

const expectPostError = (res: Posted, status: number, code: string, extra: { message?: string; ec?: string } = {}): Record<string, string> => {
  expect(res.status, res.text).toBe(status);
  const error = errorDocument(res.text);
  expect(error.Code).toBe(code);
  if (extra.message !== undefined) expect(error.Message).toBe(extra.message);
  if (extra.ec !== undefined) expect(error.EC).toBe(extra.ec);
  return error as unknown as Record<string, string>;
};

const inTenMinutes = (): string => new Date(Date.now() + 600_000).toISOString();
/** ali-oss's own signing of a policy (calculatePostSignature): the V1 fields. */
function signedV1(policy: object, client = new OSS({ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET, bucket: B, region: 'oss-cn-hangzhou' })): Fields {
  const { OSSAccessKeyId, Signature, policy: encoded } = (client as unknown as { calculatePostSignature(p: object): { OSSAccessKeyId: string; Signature: string; policy: string } }).calculatePostSignature(policy);
  return [['OSSAccessKeyId', OSSAccessKeyId], ['policy', encoded], ['Signature', Signature]];
}

describe('PostObject, signed V1', () => {
  it('uploads the file as a Normal object: 204 by default, with ETag, Content-MD5 and CRC-64; the form sets its metadata', async () => {
    const policy = { expiration: inTenMinutes(), conditions: [{ bucket: B }, ['starts-with', '$key', 'user/'], ['content-length-range', 1, 1024]] };
    const res = await post(
      [['key', 'user/${filename}'], ...signedV1(policy), ['Content-Type', 'text/x-note'], ['Cache-Control', 'no-cache'], ['x-oss-meta-author', 'eric'], ['x-oss-object-acl', 'public-read']],
      { content: 'hello form', filename: 'note.txt', type: 'application/octet-stream' },
    );
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['etag']).toBe(`"${md5Hex('hello form')}"`);
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf('hello form'));
    expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    const head = await oss.head(B, 'user/note.txt');
    expect(head.status).toBe(200);
    expect(head.headers).toMatchObject({ 'content-type': 'text/x-note', 'cache-control': 'no-cache', 'x-oss-meta-author': 'eric', 'x-oss-object-type': 'Normal' });
    expect((await oss.send({ method: 'GET', bucket: B, key: 'user/note.txt', query: 'acl' })).text).toContain('<Grant>public-read</Grant>');
    expect((await oss.get(B, 'user/note.txt')).text).toBe('hello form');
  });

  it('success_action_status 201 answers <PostResponse>, 200 an empty 200; success_action_redirect a 303 to the page with bucket, key and ETag', async () => {
    const fields = (key: string): Fields => [['key', key], ...signedV1({ expiration: inTenMinutes(), conditions: [{ bucket: B }] })];
    const created = await post([...fields('a/b c.txt'), ['success_action_status', '201']], { content: 'x', filename: 'f' });
    expect(created.status).toBe(201);
    const doc = parseXml(created.text)['PostResponse'] as Record<string, string>;
    expect(doc).toEqual({ Bucket: B, Location: `http://127.0.0.1:${emu.port}/${B}/a/b%20c.txt`, Key: 'a/b c.txt', ETag: `"${md5Hex('x')}"` });
    expect((await post([...fields('ok'), ['success_action_status', '200']], { content: 'x' })).status).toBe(200);
    expect((await post([...fields('other'), ['success_action_status', '202']], { content: 'x' })).status).toBe(204);
    const redirected = await post([...fields('r.txt'), ['success_action_redirect', 'http://app.test/done?x=1']], { content: 'x' });
    expect(redirected.status).toBe(303);
    expect(redirected.headers['location']).toBe(`http://app.test/done?x=1&bucket=${B}&key=r.txt&etag=%22${md5Hex('x')}%22`);
  });

  it("a file part without filename or type (the Python SDK v2 sample) is the file, its type then from the key; with a type, the part's", async () => {
    const part = (name: string, value: string, headers = ''): string => `--b0undary\r\nContent-Disposition: form-data; name="${name}"\r\n${headers}\r\n${value}\r\n`;
    const signed = signedV1({ expiration: inTenMinutes(), conditions: [{ bucket: B }] });
    const raw = async (key: string, fileHeaders: string): Promise<number> => {
      const body = [part('key', key), ...signed.map(([name, value]) => part(name, value)), part('file', '{"a":1}', fileHeaders), '--b0undary--\r\n'].join('');
      const res = await fetch(`http://127.0.0.1:${emu.port}/${B}`, { method: 'POST', body, headers: { 'content-type': 'multipart/form-data; boundary=b0undary' } });
      return res.status;
    };
    expect(await raw('plain.json', '')).toBe(204);
    expect((await oss.head(B, 'plain.json')).headers['content-type']).toBe('application/json');
    expect((await oss.get(B, 'plain.json')).text).toBe('{"a":1}');
    expect(await raw('typed.json', 'Content-Type: image/png\r\n')).toBe(204);
    expect((await oss.head(B, 'typed.json')).headers['content-type']).toBe('image/png');
  });

  it('fields after the file are ignored; field names ignore case; the first of a repeated field counts', async () => {
    const res = await post([['KEY', 'first'], ['key', 'second'], ...signedV1({ expiration: inTenMinutes(), conditions: [['eq', '$key', 'first']] })], { content: 'x' }, B, [['x-oss-meta-late', 'ignored']]);
    expect(res.status, res.text).toBe(204);
    const head = await oss.head(B, 'first');
    expect(head.status).toBe(200);
    expect(head.headers['x-oss-meta-late']).toBeUndefined();
  });

  it('refusals: expired policy, a failed condition, a bad signature, a missing part of the signature, an unknown key', async () => {
    const file = { content: 'x' };
    expectPostError(await post([['key', 'k'], ...signedV1({ expiration: '2020-01-01T00:00:00.000Z', conditions: [{ bucket: B }] })], file), 403, 'AccessDenied', {
      message: 'Invalid according to Policy: Policy expired.',
      ec: '0006-00000213',
    });
    expectPostError(await post([['key', 'k'], ...signedV1({ expiration: inTenMinutes(), conditions: [['starts-with', '$key', 'user/eric/']] })], file), 403, 'AccessDenied', {
      message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "user/eric/"]',
      ec: '0006-00000227',
    });
    // The bucket condition, written as a map, and a field the form does not have.
    expectPostError(await post([['key', 'k'], ...signedV1({ expiration: inTenMinutes(), conditions: [{ bucket: 'other-bucket' }] })], file), 403, 'AccessDenied', {
      message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "other-bucket"]',
    });
    expectPostError(await post([['key', 'k'], ...signedV1({ expiration: inTenMinutes(), conditions: [['eq', '$success_action_status', '200']] })], file), 403, 'AccessDenied', {
      message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$success_action_status", "200"]',
    });
    const [id, policy] = signedV1({ expiration: inTenMinutes(), conditions: [{ bucket: B }] });
    const bad = expectPostError(await post([['key', 'k'], id!, policy!, ['Signature', 'AAAA']], file), 403, 'SignatureDoesNotMatch');
    expect(bad['StringToSign']).toBe(policy![1]);
    expectPostError(await post([['key', 'k'], id!, policy!], file), 400, 'InvalidArgument', { ec: '0002-00000703' });
    expectPostError(await post([['key', 'k'], id!, ['Signature', 'AAAA']], file), 400, 'InvalidArgument', { ec: '0002-00000702' });
    expectPostError(await post([['key', 'k'], ['OSSAccessKeyId', 'nobody'], policy!, ['Signature', 'AAAA']], file), 403, 'InvalidAccessKeyId');
    for (const key of ['k']) expect((await oss.head(B, key)).status).toBe(404);
  });

  it('in and not-in; a field the form does not send meets only not-in', async () => {
    const conditions = [{ bucket: B }, ['in', '$content-type', ['image/png', 'image/jpeg']], ['not-in', '$cache-control', ['no-cache']]];
    expect((await post([['key', 'pic.png'], ...signedV1({ expiration: inTenMinutes(), conditions }), ['Content-Type', 'image/png']], { content: 'x' })).status).toBe(204);
    expectPostError(await post([['key', 'pic.gif'], ...signedV1({ expiration: inTenMinutes(), conditions }), ['Content-Type', 'image/gif']], { content: 'x' }), 403, 'AccessDenied', {
      message: 'Invalid according to Policy: Policy Condition failed: ["in", "$content-type", ["image/png","image/jpeg"]]',
    });
    expectPostError(await post([['key', 'pic2.png'], ...signedV1({ expiration: inTenMinutes(), conditions }), ['Content-Type', 'image/png'], ['Cache-Control', 'no-cache']], { content: 'x' }), 403, 'AccessDenied');
  });

  it('content-length-range: a larger file is EntityTooLarge (EC 0006-00000003), a smaller one EntityTooSmall (-04); nothing kept', async () => {
    const fields = (key: string): Fields => [['key', key], ...signedV1({ expiration: inTenMinutes(), conditions: [['content-length-range', 5, 10]] })];
    expectPostError(await post(fields('big'), { content: 'x'.repeat(11) }), 400, 'EntityTooLarge', { ec: '0006-00000003' });
    expectPostError(await post(fields('small'), { content: 'x'.repeat(4) }), 400, 'EntityTooSmall', { ec: '0006-00000004' });
    expect((await post(fields('fits'), { content: 'x'.repeat(10) })).status).toBe(204);
    expect((await oss.head(B, 'big')).status).toBe(404);
    expect((await oss.head(B, 'small')).status).toBe(404);
  });

  it.each([
    ['an expiration without its time zone', Buffer.from(JSON.stringify({ expiration: '2099-01-01T00:00:00', conditions: [{ bucket: B }] })).toString('base64'), /^Invalid Policy: Invalid expiration/],
    ['no conditions', Buffer.from(JSON.stringify({ expiration: inTenMinutes(), conditions: [] })).toString('base64'), /^Invalid Policy: Invalid conditions/],
    ['not JSON', Buffer.from('{nope').toString('base64'), /^Invalid Policy: Invalid JSON/],
    ['no expiration', Buffer.from(JSON.stringify({ conditions: [] })).toString('base64'), /^Invalid Policy: Invalid expiration/],
    ['a map condition of two properties', Buffer.from(JSON.stringify({ expiration: inTenMinutes(), conditions: [{ a: 'b', c: 'd' }] })).toString('base64'), /^Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified\.$/],
    ['an unknown operator', Buffer.from(JSON.stringify({ expiration: inTenMinutes(), conditions: [['like', '$key', 'a']] })).toString('base64'), /^Invalid Policy: Invalid Condition/],
  ])('a policy with %s → 400 InvalidPolicyDocument', async (_case, policy, message) => {
    const signature = createHmac('sha1', DEFAULT_ACCESS_KEY_SECRET).update(policy).digest('base64');
    const res = await post([['key', 'k'], ['OSSAccessKeyId', DEFAULT_ACCESS_KEY_ID], ['policy', policy], ['Signature', signature]], { content: 'x' });
    const error = expectPostError(res, 400, 'InvalidPolicyDocument');
    expect(error['Message']).toMatch(message);
  });
});

describe('PostObject, signed V4 (ali-oss signPostObjectPolicyV4)', () => {
  it('uploads with the V4 fields; a signature for another region or day is refused', async () => {
    const client = new OSS({ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET, bucket: B, region: 'oss-cn-hangzhou' });
    const date = new Date();
    const datetime = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const credential = `${DEFAULT_ACCESS_KEY_ID}/${datetime.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request`;
    const policy = {
      expiration: inTenMinutes(),
      conditions: [{ bucket: B }, { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' }, { 'x-oss-credential': credential }, { 'x-oss-date': datetime }, ['content-length-range', 1, 1024]],
    };
    const signature = (client as unknown as { signPostObjectPolicyV4(p: object, d: Date): string }).signPostObjectPolicyV4(policy, date);
    const encoded = Buffer.from(JSON.stringify(policy)).toString('base64');
    const v4 = (sig: string, cred = credential): Fields => [
      ['policy', encoded],
      ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
      ['x-oss-credential', cred],
      ['x-oss-date', datetime],
      ['x-oss-signature', sig],
    ];
    const res = await post([['key', 'v4.txt'], ...v4(signature)], { content: 'signed four' });
    expect(res.status, res.text).toBe(204);
    expect((await oss.get(B, 'v4.txt')).text).toBe('signed four');
    // Signed for another region: the credential then names it, and the policy's condition on it fails first.
    const otherRegion = credential.replace('cn-hangzhou', 'cn-beijing');
    const forOther = v4Signature(v4SigningKey(DEFAULT_ACCESS_KEY_SECRET, datetime.slice(0, 8), 'cn-beijing'), encoded);
    expectPostError(await post([['key', 'v4b.txt'], ...v4(forOther, otherRegion)], { content: 'x' }), 403, 'AccessDenied');
    expectPostError(await post([['key', 'v4c.txt'], ...v4('0'.repeat(64))], { content: 'x' }), 403, 'SignatureDoesNotMatch');
    expectPostError(await post([['key', 'v4d.txt'], ...v4(signature).filter(([name]) => name !== 'x-oss-date')], { content: 'x' }), 400, 'InvalidArgument');
  });
});

describe('PostObject without a signature, and the form itself', () => {
  it('anonymous: refused on a private bucket (AccessDenied), allowed on a public-read-write one', async () => {
    expectPostError(await post([['key', 'anon']], { content: 'x' }), 403, 'AccessDenied');
    const open = 'post-open-bkt';
    expect((await oss.send({ method: 'PUT', bucket: open, headers: { 'x-oss-acl': 'public-read-write' } })).status).toBe(200);
    expect((await post([['key', 'anon']], { content: 'x' }, open)).status).toBe(204);
    expect((await oss.get(open, 'anon')).text).toBe('x');
  });

  it("a missing key, a missing file, a body that is no form, a missing bucket, a callback → OSS's errors", async () => {
    const signed = signedV1({ expiration: inTenMinutes(), conditions: [{ bucket: B }] });
    expectPostError(await post(signed, { content: 'x' }), 400, 'InvalidArgument', { message: "The bucket POST must contain the specified 'key'. If it is specified, please check the order of the fields" });
    // `${filename}` alone, with a file part that has no name, is no key either.
    expectPostError(await post([['key', '${filename}'], ...signed], { content: 'x', filename: '' }), 400, 'InvalidArgument');
    // The key after the file is not read: the same error.
    expectPostError(await post(signed, { content: 'x' }, B, [['key', 'late']]), 400, 'InvalidArgument');
    expectPostError(await post([['key', 'k'], ...signed], undefined), 400, 'MalformedPOSTRequest', { ec: '0006-00000104' });
    const notForm = await fetch(`http://127.0.0.1:${emu.port}/${B}`, { method: 'POST', body: 'key=k', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(notForm.status).toBe(400);
    expect(errorDocument(await notForm.text()).Code).toBe('InvalidArgument');
    const broken = await fetch(`http://127.0.0.1:${emu.port}/${B}`, { method: 'POST', body: '--xyz\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--xyz\r\nbroken', headers: { 'content-type': 'multipart/form-data; boundary=xyz' } });
    expect(broken.status).toBe(400);
    expect(errorDocument(await broken.text()).Code).toBe('MalformedPOSTRequest');
    expectPostError(await post([['key', 'k'], ...signed], { content: 'x' }, 'post-no-such-bucket'), 404, 'NoSuchBucket');
    // A callback OSS would refuse (test/http/callback.test.ts has the ones it makes).
    expectPostError(await post([['key', 'k'], ...signed, ['callback', 'not base64!']], { content: 'x' }), 400, 'InvalidArgument', { ec: '0007-00000002' });
    expect((await oss.head(B, 'k')).status).toBe(404);
  });

  it('field values as headers would bring them: UTF-8 text comes back as its bytes; control characters and bad metadata names are refused', async () => {
    const signed = signedV1({ expiration: inTenMinutes(), conditions: [{ bucket: B }] });
    expect((await post([['key', 'meta.txt'], ...signed, ['x-oss-meta-city', '杭州'], ['Content-Disposition', 'attachment; filename="中.txt"']], { content: 'x' })).status).toBe(204);
    const head = await oss.head(B, 'meta.txt');
    expect(head.status).toBe(200);
    expect(Buffer.from(head.headers['x-oss-meta-city']!, 'latin1').toString('utf8')).toBe('杭州');
    expect(Buffer.from(head.headers['content-disposition']!, 'latin1').toString('utf8')).toBe('attachment; filename="中.txt"');
    expect((await oss.get(B, 'meta.txt')).status).toBe(200);
    expectPostError(await post([['key', 'ctl.txt'], ...signed, ['Content-Type', 'text/html\r\nSet-Cookie: x=1']], { content: 'x' }), 400, 'InvalidArgument');
    expectPostError(await post([['key', 'ctl.txt'], ...signed, ['x-oss-meta-中', 'v']], { content: 'x' }), 400, 'InvalidArgument');
    expectPostError(await post([['key', 'ctl.txt'], ...signed, ['success_action_redirect', 'http://a.test/\r\nSet-Cookie: z=1']], { content: 'x' }), 400, 'InvalidArgument');
    expect((await oss.head(B, 'ctl.txt')).status).toBe(404);
    const redirected = await post([['key', 'ok.txt'], ...signed, ['success_action_redirect', 'http://例子.test/done']], { content: 'x' });
    expect(redirected.status).toBe(303);
    expect(redirected.headers['location']).toMatch(/^http:\/\/%E4%BE%8B%E5%AD%90\.test\/done\?bucket=/);
  });

  it('malformed forms are 400, never a crash or a 500: a part without a name, a body cut short mid-file, a second file; nothing stored', async () => {
    const signed = signedV1({ expiration: inTenMinutes(), conditions: [{ bucket: B }] });
    const raw = async (body: string): Promise<{ status: number; code: string }> => {
      const res = await fetch(`http://127.0.0.1:${emu.port}/${B}`, { method: 'POST', body, headers: { 'content-type': 'multipart/form-data; boundary=B' } });
      const text = await res.text();
      return { status: res.status, code: errorDocument(text).Code };
    };
    const part = (name: string, value: string): string => `--B\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const head = part('key', 'cut.txt') + signed.map(([n, v]) => part(n, v)).join('');
    expect(await raw('--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--\r\n')).toEqual({ status: 400, code: 'MalformedPOSTRequest' });
    expect(await raw(`${head}--B\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc--B--\r\n`)).toEqual({ status: 400, code: 'MalformedPOSTRequest' });
    expect(await raw(`${head}${part('file', 'one')}${part('file', 'two')}--B--\r\n`)).toEqual({ status: 400, code: 'IncorrectNumberOfFilesInPOSTRequest' });
    expect((await oss.head(B, 'cut.txt')).status).toBe(404);
    // The server is still there.
    expect((await oss.head(B, 'cut.txt')).headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
  });

  it('a client that goes away mid-file: nothing stored, an existing object kept', async () => {
    expect((await oss.put(B, 'kept.txt', 'old')).status).toBe(200);
    const signed = signedV1({ expiration: inTenMinutes(), conditions: [{ bucket: B }] });
    const part = (name: string, value: string): string => `--B\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const head = part('key', 'kept.txt') + signed.map(([n, v]) => part(n, v)).join('') + '--B\r\nContent-Disposition: form-data; name="file"\r\n\r\n';
    await new Promise<void>((resolve, reject) => {
      const socket = connect(emu.port, '127.0.0.1', () => {
        socket.write(`POST /${B} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: ${head.length + 100_000}\r\n\r\n${head}${'n'.repeat(50_000)}`, () => {
          setTimeout(() => (socket.destroy(), resolve()), 100);
        });
      });
      socket.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await oss.get(B, 'kept.txt')).text).toBe('old');
  });

  it('a large file is streamed: 16 MiB arrive byte-exact', async () => {
    const big = Buffer.alloc(16 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    const res = await post([['key', 'big.bin'], ...signedV1({ expiration: inTenMinutes(), conditions: [{ bucket: B }] })], { content: big, filename: 'big.bin' });
    expect(res.status, res.text).toBe(204);
    const head = await oss.head(B, 'big.bin');
    expect(head.headers['content-length']).toBe(String(big.length));
    expect(head.headers['x-oss-hash-crc64ecma']).toBe(crcOf(big));
  });
});
