/**
 * Authentication and authorization on the wire (facts §7): V1 and V4, header and presigned URL,
 * the 403s with their diagnostic elements, clock skew, anonymous access through bucket and object
 * ACLs, and `auth: 'off'`.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  v4AuthorizationHeader,
  v4CanonicalRequest,
  v4Datetime,
  v4PresignQuery,
  v4Scope,
  v4Signature,
  v4SigningKey,
  v4StringToSign,
} from '../../client/signing/index.js';
import type { RunningEmulator } from '../../emulator/index.js';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  errorOf,
  expectEmptySuccess,
  expectError,
  joinQuery,
  md5Base64,
  presignV1,
  rawHttp,
  signingRequest,
  signV1,
  startTestEmulator,
  useTestEmulator,
  v1StringToSignFor,
  type OssClient,
  type OssRequest,
  type OssResponse,
} from './helpers.js';

const B = 'auth-bkt';
let emu: RunningEmulator;
let oss: OssClient;

useTestEmulator(B, (e, o) => ((emu = e), (oss = o)), ['obj.txt', 'secret content']);

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const minutes = (n: number): number => n * 60_000;

// ---- V4 helpers ----------------------------------------------------------------------------------

interface V4Options {
  date?: Date;
  secret?: string;
  accessKeyId?: string;
  region?: string;
  additionalHeaders?: string[];
}

/** x-oss-date, x-oss-content-sha256 and a V4 Authorization (go2/ali-oss layout) for `req`. */
function signV4(req: OssRequest, options: V4Options = {}): Record<string, string> {
  const datetime = v4Datetime(options.date ?? new Date());
  const headers: Record<string, string> = { ...(req.headers ?? {}), 'x-oss-date': datetime, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
  // What the server sees includes Host; only AdditionalHeaders decides whether it is signed.
  const seen = { ...headers, host: req.host ?? oss.hostPort };
  headers['Authorization'] = v4AuthorizationHeader({
    accessKeyId: options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
    secret: options.secret ?? DEFAULT_ACCESS_KEY_SECRET,
    region: options.region ?? 'cn-hangzhou',
    req: signingRequest(req, seen),
    datetime,
    additionalHeaders: options.additionalHeaders,
  });
  return headers;
}

const sendV4 = (req: OssRequest, options: V4Options = {}): Promise<OssResponse> => oss.sendRaw(req, signV4(req, options));

function presignV4(req: OssRequest, options: V4Options & { expiresSeconds?: number } = {}): string {
  const params = v4PresignQuery({
    accessKeyId: options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
    secret: options.secret ?? DEFAULT_ACCESS_KEY_SECRET,
    region: options.region ?? 'cn-hangzhou',
    req: signingRequest(req, req.headers ?? {}),
    datetime: v4Datetime(options.date ?? new Date()),
    expiresSeconds: options.expiresSeconds ?? 600,
  });
  return joinQuery(req.query, params);
}

// ---- tests ---------------------------------------------------------------------------------------

describe('V1 header auth', () => {
  it('with Date (Go v1, oss2, Java)', async () => {
    const res = await oss.send({ method: 'GET', bucket: B, key: 'obj.txt' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('secret content');
  });

  it('with only x-oss-date, no Date header (ali-oss)', async () => {
    const res = await oss.send({ method: 'GET', bucket: B, key: 'obj.txt', auth: 'v1-oss-date' });
    expect(res.status).toBe(200);
  });

  it('x-oss-date in ISO 8601 basic form is accepted too (the fix EC page 0002-00000503 gives), and its skew checked', async () => {
    const send = (when: Date): Promise<OssResponse> => {
      const datetime = v4Datetime(when);
      const stringToSign = `GET\n\n\n${datetime}\nx-oss-date:${datetime}\n/${B}/obj.txt`;
      const signature = createHmac('sha1', DEFAULT_ACCESS_KEY_SECRET).update(stringToSign).digest('base64');
      return oss.sendRaw({ method: 'GET', bucket: B, key: 'obj.txt' }, { 'x-oss-date': datetime, Authorization: `OSS ${DEFAULT_ACCESS_KEY_ID}:${signature}` });
    };
    expect((await send(new Date())).text).toBe('secret content');
    expectError(await send(new Date(Date.now() + minutes(60))), 403, 'RequestTimeTooSkewed');
  });

  it('a hand-built signature (independent of client/signing): PUT with MD5, type, meta, sorted sub-resources', async () => {
    const date = new Date().toUTCString();
    const body = 'hand signed';
    const md5 = md5Base64(body);
    const stringToSign = [
      'POST',
      md5,
      'text/plain',
      date,
      'x-oss-meta-author:alice', // canonical headers: lower-case, trimmed, sorted
      'x-oss-meta-b:2',
      `/${B}/dir/hand.txt?append&position=0`, // sub-resources sorted, whatever the URL order
    ].join('\n');
    const signature = createHmac('sha1', DEFAULT_ACCESS_KEY_SECRET).update(stringToSign).digest('base64');
    const res = await oss.sendRaw(
      { method: 'POST', bucket: B, key: 'dir/hand.txt', query: 'position=0&append', body },
      {
        Date: date,
        'Content-MD5': md5,
        'Content-Type': 'text/plain',
        'X-OSS-Meta-B': '2',
        'x-oss-meta-author': '  alice ',
        Authorization: `OSS ${DEFAULT_ACCESS_KEY_ID}:${signature}`,
      },
    );
    expectEmptySuccess(res);
  });

  it('a repeated x-oss-* header is signed with its values joined by "," (facts §7.1), and kept so', async () => {
    const date = new Date().toUTCString();
    const stringToSign = `PUT\n\n\n${date}\nx-oss-meta-a:1,2\n/${B}/twice`;
    const signature = createHmac('sha1', DEFAULT_ACCESS_KEY_SECRET).update(stringToSign).digest('base64');
    const request = [
      `PUT /${B}/twice HTTP/1.1`,
      `Host: 127.0.0.1:${emu.port}`,
      `Date: ${date}`,
      'x-oss-meta-a: 1',
      'x-oss-meta-a: 2',
      `Authorization: OSS ${DEFAULT_ACCESS_KEY_ID}:${signature}`,
      'Content-Length: 1',
      'Connection: close',
      '',
      'x',
    ].join('\r\n');
    const res = await rawHttp(emu.port, 'PUT', [request]);
    expect(res.status, res.text).toBe(200);
    expect((await oss.head(B, 'twice')).headers['x-oss-meta-a']).toBe('1,2');
  });

  it('a hand-built signature: unsigned listing parameters stay out of the resource', async () => {
    const date = new Date().toUTCString();
    const stringToSign = `GET\n\n\n${date}\n/${B}/`;
    const signature = createHmac('sha1', DEFAULT_ACCESS_KEY_SECRET).update(stringToSign).digest('base64');
    const res = await oss.sendRaw(
      { method: 'GET', bucket: B, query: 'prefix=obj&max-keys=5&delimiter=%2F&marker=&encoding-type=url' },
      { Date: date, Authorization: `OSS ${DEFAULT_ACCESS_KEY_ID}:${signature}` },
    );
    expect(res.status, res.text).toBe(200);
  });

  it('go2 sends Content-MD5 of the empty body on a GET, and signs it', async () => {
    const res = await oss.send({ method: 'GET', bucket: B, key: 'obj.txt', headers: { 'Content-MD5': '1B2M2Y8AsgTpgAmY7PhCfg==' } });
    expect(res.status).toBe(200);
  });

  it('a wrong secret → 403 SignatureDoesNotMatch with OSSAccessKeyId, SignatureProvided, StringToSign, StringToSignBytes', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', query: 'acl', secret: 'not-the-secret', headers: { 'x-oss-meta-z': '1' } };
    const headers = signV1(req);
    const res = await oss.sendRaw(req, headers);
    const error = expectError(res, 403, 'SignatureDoesNotMatch', {
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    });
    const expected = v1StringToSignFor(req, headers, headers['Date']!);
    expect(expected).toBe(`GET\n\n\n${headers['Date']}\nx-oss-meta-z:1\n/${B}/obj.txt?acl`);
    expect(error['StringToSign']).toBe(expected);
    expect(error['OSSAccessKeyId']).toBe(DEFAULT_ACCESS_KEY_ID);
    expect(error['SignatureProvided']).toBe(headers['Authorization']!.split(':')[1]);
    // Upper-case hex, as in real responses quoted in SDK issues (e.g. "50 55 54 0A 0A").
    expect(error['StringToSignBytes']).toBe([...Buffer.from(expected)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' '));
  });

  it('a HEAD refused for its signature stays readable whatever it signed: x-oss-err leaves out StringToSign when it would grow past 8 KiB', async () => {
    const req: OssRequest = { method: 'HEAD', bucket: B, key: 'obj.txt', secret: 'not-the-secret', headers: { 'x-oss-meta-a': 'v'.repeat(3000) } };
    const res = await oss.sendRaw(req, signV1(req)); // 3 KB of meta made a 16 KiB x-oss-err, which Node's client refuses
    expect(res.headers['x-oss-err']!.length).toBeLessThanOrEqual(8192);
    const error = expectError(res, 403, 'SignatureDoesNotMatch');
    expect(error['OSSAccessKeyId']).toBe(DEFAULT_ACCESS_KEY_ID);
    expect(error['StringToSign']).toBeUndefined();
    expect(error['StringToSignBytes']).toBeUndefined();
    // A GET has a body for the whole document; a small HEAD keeps it whole in x-oss-err too.
    const get: OssRequest = { ...req, method: 'GET' };
    expect(expectError(await oss.sendRaw(get, signV1(get)), 403, 'SignatureDoesNotMatch')['StringToSignBytes']).toBeDefined();
    const small: OssRequest = { ...req, headers: {} };
    expect(expectError(await oss.sendRaw(small, signV1(small)), 403, 'SignatureDoesNotMatch')['StringToSignBytes']).toBeDefined();
  });

  it('a signature over a different resource (key, sub-resource) → 403 SignatureDoesNotMatch', async () => {
    const headers = signV1({ method: 'GET', bucket: B, key: 'other.txt' });
    expectError(await oss.sendRaw({ method: 'GET', bucket: B, key: 'obj.txt' }, headers), 403, 'SignatureDoesNotMatch');
    const noAcl = signV1({ method: 'GET', bucket: B, key: 'obj.txt' });
    expectError(await oss.sendRaw({ method: 'GET', bucket: B, key: 'obj.txt', query: 'acl' }, noAcl), 403, 'SignatureDoesNotMatch');
  });

  it('an unknown access key → 403 InvalidAccessKeyId (EC 0002-00000902) with <OSSAccessKeyId>', async () => {
    const res = await oss.send({ method: 'GET', bucket: B, key: 'obj.txt', accessKeyId: 'who-is-this' });
    const error = expectError(res, 403, 'InvalidAccessKeyId', {
      ec: '0002-00000902',
      message: 'The OSS Access Key Id you provided does not exist in our records.',
    });
    expect(error['OSSAccessKeyId']).toBe('who-is-this');
  });

  it('Date more than 15 minutes off → 403 RequestTimeTooSkewed with RequestTime, ServerTime, MaxAllowedSkewMilliseconds', async () => {
    for (const offset of [-minutes(16), minutes(16)]) {
      const res = await oss.send({ method: 'GET', bucket: B, key: 'obj.txt', date: new Date(Date.now() + offset) });
      const error = expectError(res, 403, 'RequestTimeTooSkewed', {
        ec: '0002-00000504',
        message: 'The difference between the request time and the current time is too large.',
      });
      expect(error['MaxAllowedSkewMilliseconds']).toBe('900000');
      expect(error['RequestTime']).toBeDefined();
      expect(error['ServerTime']).toBeDefined();
    }
  });

  it('x-oss-date more than 15 minutes off → RequestTimeTooSkewed; 14 minutes is fine', async () => {
    const skewed = await oss.send({ method: 'GET', bucket: B, key: 'obj.txt', auth: 'v1-oss-date', date: new Date(Date.now() + minutes(24 * 60)) });
    expectError(skewed, 403, 'RequestTimeTooSkewed');
    const close = await oss.send({ method: 'GET', bucket: B, key: 'obj.txt', auth: 'v1-oss-date', date: new Date(Date.now() - minutes(14)) });
    expect(close.status).toBe(200);
  });

  it('x-oss-date is the time checked when both are sent (a stale Date alongside a fresh x-oss-date passes)', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'v1-oss-date' };
    const headers = signV1(req);
    headers['Date'] = new Date(Date.now() - minutes(24 * 60)).toUTCString();
    expect((await oss.sendRaw(req, headers)).status).toBe(200);
  });

  it('neither Date nor x-oss-date → 403 AccessDenied (EC 0002-00000503)', async () => {
    const headers = signV1({ method: 'GET', bucket: B, key: 'obj.txt' });
    delete headers['Date'];
    expectError(await oss.sendRaw({ method: 'GET', bucket: B, key: 'obj.txt' }, headers), 403, 'AccessDenied', { ec: '0002-00000503' });
  });

  it("a Date in none of HTTP's three forms → 403 AccessDenied (EC 0002-00000505), even where Date.parse would read it", async () => {
    const sendWithDate = (date: string): Promise<OssResponse> => {
      const signature = createHmac('sha1', DEFAULT_ACCESS_KEY_SECRET).update(`GET\n\n\n${date}\n/${B}/obj.txt`).digest('base64');
      return oss.sendRaw({ method: 'GET', bucket: B, key: 'obj.txt' }, { Date: date, Authorization: `OSS ${DEFAULT_ACCESS_KEY_ID}:${signature}` });
    };
    const now = new Date();
    // ISO 8601 basic is for x-oss-date only (EC page 0002-00000505 shows Date in GMT format).
    for (const date of ['12/31/2099', '1', now.toISOString(), v4Datetime(now), now.toUTCString().replace('GMT', '+0000')]) {
      expectError(await sendWithDate(date), 403, 'AccessDenied', { ec: '0002-00000505' });
    }
    // RFC 850 and asctime, which RFC 9110 asks recipients to accept; asctime is GMT.
    const [weekday, day, month, year, time] = now.toUTCString().replace(',', '').split(' ') as [string, string, string, string, string];
    const longDay = { Mon: 'Monday', Tue: 'Tuesday', Wed: 'Wednesday', Thu: 'Thursday', Fri: 'Friday', Sat: 'Saturday', Sun: 'Sunday' }[weekday]!;
    expect((await sendWithDate(`${longDay}, ${day}-${month}-${year.slice(2)} ${time} GMT`)).text).toBe('secret content');
    expect((await sendWithDate(`${weekday} ${month} ${day.replace(/^0/, ' ')} ${time} ${year}`)).text).toBe('secret content');
  });

  it('[GUESS] an Authorization header in an unknown scheme → 400 InvalidArgument', async () => {
    expectError(await oss.sendRaw({ method: 'GET', bucket: B, key: 'obj.txt' }, { Authorization: 'Bearer abc' }), 400, 'InvalidArgument');
    expectError(await oss.sendRaw({ method: 'GET', bucket: B, key: 'obj.txt' }, { Authorization: 'OSS no-colon', Date: new Date().toUTCString() }), 400, 'InvalidArgument');
  });
});

describe('V1 presigned URLs', () => {
  it('a valid URL works without any Date header', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    const res = await oss.send({ ...req, query: presignV1(req, nowSeconds() + 600) });
    expect(res.status).toBe(200);
    expect(res.text).toBe('secret content');
  });

  it('a presigned PUT with Content-Type must send that Content-Type', async () => {
    const req: OssRequest = { method: 'PUT', bucket: B, key: 'up.txt', auth: 'none', headers: { 'Content-Type': 'text/plain' }, body: 'uploaded' };
    const query = presignV1(req, nowSeconds() + 600);
    expectEmptySuccess(await oss.send({ ...req, query }));
    expectError(await oss.send({ ...req, query, headers: { 'Content-Type': 'text/html' } }), 403, 'SignatureDoesNotMatch');
  });

  it('a presigned URL keeps signed sub-resources (response-content-type)', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none', query: 'response-content-type=text%2Fx-presigned' };
    const res = await oss.send({ ...req, query: presignV1(req, nowSeconds() + 600) });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/x-presigned');
  });

  it('[GUESS: message] expired → 403 AccessDenied "Request has expired."', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    const res = await oss.send({ ...req, query: presignV1(req, nowSeconds() - 10) });
    expectError(res, 403, 'AccessDenied', { message: 'Request has expired.', ec: '0002-00000069' });
  });

  it('Expires missing, empty or not a timestamp → 403 AccessDenied with the EC OSS documents for each', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    const query = presignV1(req, nowSeconds() + 600);
    expectError(await oss.send({ ...req, query: query.replace(/Expires=\d+/, 'Expires=') }), 403, 'AccessDenied', { ec: '0002-00000068' });
    expectError(await oss.send({ ...req, query: query.replace(/&?Expires=\d+/, '') }), 403, 'AccessDenied', { ec: '0002-00000067' });
    expectError(await oss.send({ ...req, query: query.replace(/Expires=\d+/, 'Expires=abc') }), 403, 'AccessDenied', { ec: '0002-00000070' });
  });

  it('a wrong secret → 403 SignatureDoesNotMatch whose StringToSign has Expires as the date line', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none', secret: 'wrong' };
    const expires = nowSeconds() + 600;
    const error = expectError(await oss.send({ ...req, query: presignV1(req, expires) }), 403, 'SignatureDoesNotMatch');
    expect(error['StringToSign']).toBe(`GET\n\n\n${expires}\n/${B}/obj.txt`);
  });

  it('an unknown access key → 403 InvalidAccessKeyId', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none', accessKeyId: 'nobody' };
    expectError(await oss.send({ ...req, query: presignV1(req, nowSeconds() + 600) }), 403, 'InvalidAccessKeyId');
  });

  it('a URL missing Signature → 403 AccessDenied naming the three parameters', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    const query = presignV1(req, nowSeconds() + 600).replace(/&Signature=[^&]*/, '');
    expectError(await oss.send({ ...req, query }), 403, 'AccessDenied', {
      message: 'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
    });
  });
});

describe('V4 header auth', () => {
  it('x-oss-content-sha256 other than UNSIGNED-PAYLOAD (a real payload hash) → 400 InvalidArgument, EC 0002-00000214', async () => {
    const req: OssRequest = { method: 'PUT', bucket: B, key: 'hashed', body: 'x' };
    const headers = { ...signV4(req), 'x-oss-content-sha256': createHash('sha256').update('x').digest('hex') };
    expectError(await oss.sendRaw(req, headers), 400, 'InvalidArgument', { ec: '0002-00000214' });
    expectError(await oss.head(B, 'hashed'), 404, 'NoSuchKey');
  });

  it('a credential scope whose date is not that of x-oss-date → 400 InvalidArgument, EC 0002-00000212; product other than oss → 0002-00000213', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt' };
    const headers = signV4(req);
    const withScope = (from: RegExp, to: string): Record<string, string> => ({ ...headers, Authorization: headers['Authorization']!.replace(from, to) });
    expectError(await oss.sendRaw(req, withScope(/\/\d{8}\//, '/20200101/')), 400, 'InvalidArgument', { ec: '0002-00000212' });
    expectError(await oss.sendRaw(req, withScope(/\/oss\/aliyun_v4_request/, '/foo/aliyun_v4_request')), 400, 'InvalidArgument', { ec: '0002-00000213' });
  });

  it('go2 / ali-oss layout (`,` separators)', async () => {
    const res = await sendV4({ method: 'GET', bucket: B, key: 'obj.txt' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('secret content');
  });

  it('a PUT with Content-MD5, Content-Type and meta; a bucket-level request; a service request', async () => {
    const body = 'v4 body';
    const put = await sendV4({ method: 'PUT', bucket: B, key: 'dir/v4 key+.txt', body, headers: { 'Content-MD5': md5Base64(body), 'Content-Type': 'text/plain', 'x-oss-meta-a': 'b' } });
    expectEmptySuccess(put);
    expect((await sendV4({ method: 'GET', bucket: B, query: 'prefix=dir%2F&list-type=2' })).status).toBe(200);
    expect((await sendV4({ method: 'GET' })).status).toBe(200);
  });

  it('with AdditionalHeaders (host and a custom header), both signed', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', host: `127.0.0.1:${emu.port}`, headers: { 'x-custom-extra': 'yes' } };
    const headers = signV4(req, { additionalHeaders: ['host', 'x-custom-extra'] });
    expect(headers['Authorization']).toContain(',AdditionalHeaders=host;x-custom-extra,');
    expect((await oss.sendRaw(req, headers)).status).toBe(200);
    // Changing a signed additional header breaks the signature.
    const tampered = await oss.sendRaw({ ...req, headers: { 'x-custom-extra': 'no' } }, { ...headers, 'x-custom-extra': 'no' });
    expectError(tampered, 403, 'SignatureDoesNotMatch');
  });

  describe('with Date and no x-oss-date (the Go SDK v1 line with AuthV4)', () => {
    /** Signs `req` as that SDK does: the Date header's RFC 1123 text is the date line, the scope day is its UTC day. */
    const signWithDate = (req: OssRequest, date: string, scopeDay: string): Record<string, string> => {
      const headers: Record<string, string> = { Date: date, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
      const canonical = v4CanonicalRequest(signingRequest(req, { ...headers, host: oss.hostPort }), []);
      const stringToSign = v4StringToSign(date, v4Scope(scopeDay, 'cn-hangzhou'), canonical);
      const signature = v4Signature(v4SigningKey(DEFAULT_ACCESS_KEY_SECRET, scopeDay, 'cn-hangzhou'), stringToSign);
      headers['Authorization'] = `OSS4-HMAC-SHA256 Credential=${DEFAULT_ACCESS_KEY_ID}/${scopeDay}/cn-hangzhou/oss/aliyun_v4_request,Signature=${signature}`;
      return headers;
    };
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt' };
    const dayOf = (when: Date): string => v4Datetime(when).slice(0, 8);

    it('is accepted: the string to sign carries the Date text as sent', async () => {
      const now = new Date();
      expect((await oss.sendRaw(req, signWithDate(req, now.toUTCString(), dayOf(now)))).status).toBe(200);
      const put: OssRequest = { method: 'PUT', bucket: B, key: 'v4-date.txt', body: 'x' };
      expect((await oss.sendRaw(put, signWithDate(put, now.toUTCString(), dayOf(now)))).status).toBe(200);
      expect((await oss.get(B, 'v4-date.txt')).text).toBe('x');
    });

    it('its skew is checked, its day must be the scope day (EC 0002-00000212), and a Date not in GMT format → 403 (EC 0002-00000502)', async () => {
      const stale = new Date(Date.now() - 20 * 60_000);
      expectError(await oss.sendRaw(req, signWithDate(req, stale.toUTCString(), dayOf(stale))), 403, 'RequestTimeTooSkewed');
      const now = new Date();
      expectError(await oss.sendRaw(req, signWithDate(req, now.toUTCString(), '20200101')), 400, 'InvalidArgument', { ec: '0002-00000212' });
      expectError(await oss.sendRaw(req, signWithDate(req, v4Datetime(now), dayOf(now))), 403, 'AccessDenied', { ec: '0002-00000502' });
    });

    it("an asctime Date is GMT for the skew check too, whatever the server's time zone", async () => {
      const now = new Date();
      const [weekday, , month, , time] = now.toUTCString().split(' ');
      const asctime = `${weekday!.slice(0, 3)} ${month} ${String(now.getUTCDate()).padStart(2, ' ')} ${time} ${now.getUTCFullYear()}`;
      const zone = process.env['TZ'];
      process.env['TZ'] = 'Asia/Shanghai';
      try {
        expect((await oss.sendRaw(req, signWithDate(req, asctime, dayOf(now)))).status).toBe(200);
      } finally {
        if (zone === undefined) delete process.env['TZ'];
        else process.env['TZ'] = zone;
      }
    });

    it('x-oss-date, when sent, is the one signed: it must be ISO 8601 basic (EC 0002-00000502)', async () => {
      const headers = { ...signV4(req), 'x-oss-date': new Date().toUTCString() };
      expectError(await oss.sendRaw(req, headers), 403, 'AccessDenied', { ec: '0002-00000502' });
    });
  });

  it('oss2 layout: `, ` separators with AdditionalHeaders last', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', host: `127.0.0.1:${emu.port}`, headers: { 'x-custom-extra': 'yes' } };
    const datetime = v4Datetime(new Date());
    const headers: Record<string, string> = { 'x-custom-extra': 'yes', 'x-oss-date': datetime, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
    const canonical = v4CanonicalRequest(signingRequest(req, { ...headers, host: req.host! }), ['host', 'x-custom-extra']);
    const date = datetime.slice(0, 8);
    const stringToSign = v4StringToSign(datetime, v4Scope(date, 'cn-hangzhou'), canonical);
    const signature = v4Signature(v4SigningKey(DEFAULT_ACCESS_KEY_SECRET, date, 'cn-hangzhou'), stringToSign);
    headers['Authorization'] =
      `OSS4-HMAC-SHA256 Credential=${DEFAULT_ACCESS_KEY_ID}/${date}/cn-hangzhou/oss/aliyun_v4_request, ` +
      `Signature=${signature}, AdditionalHeaders=host;x-custom-extra`;
    expect((await oss.sendRaw(req, headers)).status).toBe(200);
  });

  it('a hand-built V4 signature (independent of client/signing)', async () => {
    const datetime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
    const date = datetime.slice(0, 8);
    const canonicalRequest = [
      'GET',
      `/${B}/obj.txt`,
      'acl',
      `x-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:${datetime}\n`,
      '',
      'UNSIGNED-PAYLOAD',
    ].join('\n');
    const scope = `${date}/cn-hangzhou/oss/aliyun_v4_request`;
    const stringToSign = `OSS4-HMAC-SHA256\n${datetime}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
    const signingKey = hmac(hmac(hmac(hmac(`aliyun_v4${DEFAULT_ACCESS_KEY_SECRET}`, date), 'cn-hangzhou'), 'oss'), 'aliyun_v4_request');
    const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
    const res = await oss.sendRaw(
      { method: 'GET', bucket: B, key: 'obj.txt', query: 'acl' },
      {
        'x-oss-date': datetime,
        'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
        Authorization: `OSS4-HMAC-SHA256 Credential=${DEFAULT_ACCESS_KEY_ID}/${scope},Signature=${signature}`,
      },
    );
    expect(res.status, res.text).toBe(200);
  });

  it('the region comes from the credential scope: a client configured for another region works', async () => {
    expect((await sendV4({ method: 'GET', bucket: B, key: 'obj.txt' }, { region: 'us-west-1' })).status).toBe(200);
  });

  it('a wrong secret → 403 SignatureDoesNotMatch with <CanonicalRequest> and <StringToSign>', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', query: 'acl' };
    const headers = signV4(req, { secret: 'wrong' });
    const error = expectError(await oss.sendRaw(req, headers), 403, 'SignatureDoesNotMatch');
    const datetime = headers['x-oss-date']!;
    expect(error['CanonicalRequest']).toBe(
      `GET\n/${B}/obj.txt\nacl\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:${datetime}\n\n\nUNSIGNED-PAYLOAD`,
    );
    expect(error['StringToSign']).toBe(v4StringToSign(datetime, v4Scope(datetime.slice(0, 8), 'cn-hangzhou'), error['CanonicalRequest']!));
    expect(error['OSSAccessKeyId']).toBe(DEFAULT_ACCESS_KEY_ID);
  });

  it('an unknown access key → 403 InvalidAccessKeyId', async () => {
    expectError(await sendV4({ method: 'GET', bucket: B, key: 'obj.txt' }, { accessKeyId: 'nobody' }), 403, 'InvalidAccessKeyId', { ec: '0002-00000902' });
  });

  it('x-oss-date more than 15 minutes off → 403 RequestTimeTooSkewed', async () => {
    const res = await sendV4({ method: 'GET', bucket: B, key: 'obj.txt' }, { date: new Date(Date.now() + minutes(20)) });
    expectError(res, 403, 'RequestTimeTooSkewed', { ec: '0002-00000504' });
  });

  it('x-oss-date not ISO 8601 basic → 403 AccessDenied (EC 0002-00000502); neither x-oss-date nor Date → EC 0002-00000503', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt' };
    const headers = signV4(req);
    expectError(await oss.sendRaw(req, { ...headers, 'x-oss-date': new Date().toUTCString() }), 403, 'AccessDenied', { ec: '0002-00000502' });
    const { ['x-oss-date']: _dropped, ...without } = headers;
    expectError(await oss.sendRaw(req, without), 403, 'AccessDenied', { ec: '0002-00000503' });
  });

  it('[GUESS] a malformed V4 Authorization (no Signature) → 400 InvalidArgument', async () => {
    const headers = { 'x-oss-date': v4Datetime(new Date()), Authorization: `OSS4-HMAC-SHA256 Credential=${DEFAULT_ACCESS_KEY_ID}/20240101/cn-hangzhou/oss/aliyun_v4_request` };
    expectError(await oss.sendRaw({ method: 'GET', bucket: B, key: 'obj.txt' }, headers), 400, 'InvalidArgument');
  });
});

describe('V4 presigned URLs', () => {
  it('a valid URL works with no auth headers', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    const res = await oss.send({ ...req, query: presignV4(req) });
    expect(res.status).toBe(200);
    expect(res.text).toBe('secret content');
  });

  it('a presigned PUT with a sub-resource query', async () => {
    const req: OssRequest = { method: 'POST', bucket: B, key: 'pre-append', auth: 'none', query: 'append&position=0', body: 'abc' };
    expectEmptySuccess(await oss.send({ ...req, query: presignV4(req) }));
  });

  it('expired → 403 AccessDenied', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    const query = presignV4(req, { date: new Date(Date.now() - minutes(20)), expiresSeconds: 60 });
    expectError(await oss.send({ ...req, query }), 403, 'AccessDenied', { message: 'Request has expired.', ec: '0002-00000236' });
  });

  it('a credential scope whose date is not that of x-oss-date → 400 InvalidArgument, EC 0002-00000223', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    const query = presignV4(req).replace(/(x-oss-credential=[^&]*?%2F)\d{8}(%2F)/, '$120200101$2');
    expect(query).toContain('%2F20200101%2F');
    expectError(await oss.send({ ...req, query }), 400, 'InvalidArgument', { ec: '0002-00000223' });
  });

  it('a URL without x-oss-expires → 403 AccessDenied, EC 0002-00000215', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    expectError(await oss.send({ ...req, query: presignV4(req).replace(/&?x-oss-expires=\d+/, '') }), 403, 'AccessDenied', { ec: '0002-00000215' });
  });

  it('x-oss-expires outside 1–604800 or not a number → 403 AccessDenied, EC 0002-00000232', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    for (const expiresSeconds of [604801, 691200, 0]) {
      expectError(await oss.send({ ...req, query: presignV4(req, { expiresSeconds }) }), 403, 'AccessDenied', { ec: '0002-00000232' });
    }
    const abc = presignV4(req).replace(/x-oss-expires=\d+/, 'x-oss-expires=abc');
    expectError(await oss.send({ ...req, query: abc }), 403, 'AccessDenied', { ec: '0002-00000232' });
    expect((await oss.send({ ...req, query: presignV4(req, { expiresSeconds: 604800 }) })).status).toBe(200);
  });

  it('an x-oss-date more than 15 minutes ahead → 403 AccessDenied, EC 0002-00000235; 10 minutes ahead is accepted', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    const ahead = (m: number): string => presignV4(req, { date: new Date(Date.now() + minutes(m)) });
    expectError(await oss.send({ ...req, query: ahead(60) }), 403, 'AccessDenied', { ec: '0002-00000235' });
    expect((await oss.send({ ...req, query: ahead(10) })).status).toBe(200);
  });

  it('a wrong secret → 403 SignatureDoesNotMatch with <CanonicalRequest>', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    const error = expectError(await oss.send({ ...req, query: presignV4(req, { secret: 'wrong' }) }), 403, 'SignatureDoesNotMatch');
    expect(error['CanonicalRequest']).toMatch(new RegExp(`^GET\\n/${B}/obj\\.txt\\nx-oss-credential=`));
    expect(error['CanonicalRequest']).not.toContain('x-oss-signature=');
  });

  it('a tampered query (extra parameter) → 403 SignatureDoesNotMatch', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'obj.txt', auth: 'none' };
    expectError(await oss.send({ ...req, query: `${presignV4(req)}&extra=1` }), 403, 'SignatureDoesNotMatch');
  });
});

describe('anonymous access and ACLs', () => {
  const anon = (req: Omit<OssRequest, 'auth'>): Promise<OssResponse> => oss.send({ ...req, auth: 'none' });
  const denied = (res: OssResponse): void => {
    expectError(res, 403, 'AccessDenied');
  };

  it('a private bucket refuses every anonymous request with 403 AccessDenied', async () => {
    denied(await anon({ method: 'GET', bucket: B, key: 'obj.txt' }));
    denied(await anon({ method: 'HEAD', bucket: B, key: 'obj.txt' }));
    denied(await anon({ method: 'PUT', bucket: B, key: 'new.txt', body: 'x' }));
    denied(await anon({ method: 'POST', bucket: B, key: 'app', query: 'append&position=0', body: 'x' }));
    denied(await anon({ method: 'DELETE', bucket: B, key: 'obj.txt' }));
    denied(await anon({ method: 'GET', bucket: B }));
    expect((await oss.head(B, 'new.txt')).status).toBe(404);
    expect((await oss.head(B, 'obj.txt')).status).toBe(200);
  });

  it('anonymous ListBuckets, PutBucket or bucket configuration → 403 AccessDenied, EC 0003-00001201 (no anonymous access to the operation)', async () => {
    for (const req of [{ method: 'GET' }, { method: 'PUT', bucket: 'anon-bucket' }, { method: 'GET', bucket: B, query: 'acl' }] as OssRequest[]) {
      expectError(await anon(req), 403, 'AccessDenied', { ec: '0003-00001201', message: 'Anonymous access is forbidden for this operation.' });
    }
    // An object read the ACL does not grant is the ACL's refusal, not the operation's.
    expect(errorOf(await anon({ method: 'GET', bucket: B, key: 'obj.txt' })).EC).not.toBe('0003-00001201');
  });

  it('public-read: anonymous GET, HEAD and listing work; writes and bucket configuration are refused', async () => {
    await oss.send({ method: 'PUT', bucket: 'pr-bucket', headers: { 'x-oss-acl': 'public-read' } });
    await oss.put('pr-bucket', 'o', 'public');
    expect((await anon({ method: 'GET', bucket: 'pr-bucket', key: 'o' })).text).toBe('public');
    expect((await anon({ method: 'HEAD', bucket: 'pr-bucket', key: 'o' })).status).toBe(200);
    expect((await anon({ method: 'HEAD', bucket: 'pr-bucket', key: 'o', query: 'objectMeta' })).status).toBe(200);
    expect((await anon({ method: 'GET', bucket: 'pr-bucket' })).status).toBe(200);
    expect((await anon({ method: 'GET', bucket: 'pr-bucket', query: 'list-type=2' })).status).toBe(200);
    expectError(await anon({ method: 'GET', bucket: 'pr-bucket', key: 'missing' }), 404, 'NoSuchKey');
    denied(await anon({ method: 'PUT', bucket: 'pr-bucket', key: 'o', body: 'overwrite' }));
    denied(await anon({ method: 'POST', bucket: 'pr-bucket', key: 'a', query: 'append&position=0', body: 'x' }));
    await oss.append('pr-bucket', 'log', 0, 'x');
    denied(await anon({ method: 'POST', bucket: 'pr-bucket', key: 'log', query: 'seal&position=1' }));
    denied(await anon({ method: 'DELETE', bucket: 'pr-bucket', key: 'o' }));
    denied(await anon({ method: 'GET', bucket: 'pr-bucket', query: 'acl' }));
    denied(await anon({ method: 'GET', bucket: 'pr-bucket', query: 'bucketInfo' }));
    denied(await anon({ method: 'PUT', bucket: 'pr-bucket', query: 'acl', headers: { 'x-oss-acl': 'public-read-write' } }));
    denied(await anon({ method: 'GET', bucket: 'pr-bucket', key: 'o', query: 'acl' }));
    denied(await anon({ method: 'PUT', bucket: 'pr-bucket', key: 'o', query: 'tagging', body: '<Tagging><TagSet/></Tagging>' }));
    expect((await oss.get('pr-bucket', 'o')).text).toBe('public');
  });

  it('public-read-write: anonymous reads and writes (PUT, append, seal, delete) work; configuration is still refused', async () => {
    await oss.send({ method: 'PUT', bucket: 'prw-bucket', headers: { 'x-oss-acl': 'public-read-write' } });
    expectEmptySuccess(await anon({ method: 'PUT', bucket: 'prw-bucket', key: 'o', body: 'anon' }));
    expect((await anon({ method: 'GET', bucket: 'prw-bucket', key: 'o' })).text).toBe('anon');
    expectEmptySuccess(await anon({ method: 'POST', bucket: 'prw-bucket', key: 'a', query: 'append&position=0', body: 'x' }));
    expectEmptySuccess(await anon({ method: 'POST', bucket: 'prw-bucket', key: 'a', query: 'seal&position=1' }));
    expectEmptySuccess(await anon({ method: 'DELETE', bucket: 'prw-bucket', key: 'o' }), 204);
    denied(await anon({ method: 'PUT', bucket: 'prw-bucket', query: 'acl', headers: { 'x-oss-acl': 'private' } }));
    denied(await anon({ method: 'DELETE', bucket: 'prw-bucket' }));
    denied(await anon({ method: 'PUT', bucket: 'prw-bucket', key: 'a', query: 'acl', headers: { 'x-oss-object-acl': 'private' } }));
  });

  it('an object ACL overrides its bucket: public-read object in a private bucket', async () => {
    await oss.put(B, 'open.txt', 'open', { 'x-oss-object-acl': 'public-read' });
    expect((await anon({ method: 'GET', bucket: B, key: 'open.txt' })).text).toBe('open');
    denied(await anon({ method: 'PUT', bucket: B, key: 'open.txt', body: 'x' }));
    denied(await anon({ method: 'GET', bucket: B, key: 'obj.txt' }));
  });

  it('an object ACL overrides its bucket: public-read-write object in a private bucket accepts anonymous writes', async () => {
    await oss.append(B, 'shared', 0, 'a', { 'x-oss-object-acl': 'public-read-write' });
    expectEmptySuccess(await anon({ method: 'POST', bucket: B, key: 'shared', query: 'append&position=1', body: 'b' }));
    expect((await oss.get(B, 'shared')).text).toBe('ab');
  });

  it('an object ACL overrides its bucket: private object in a public-read bucket; `default` inherits', async () => {
    await oss.send({ method: 'PUT', bucket: 'pr-bucket', headers: { 'x-oss-acl': 'public-read' } });
    await oss.put('pr-bucket', 'closed', 'x', { 'x-oss-object-acl': 'private' });
    await oss.put('pr-bucket', 'inherits', 'y', { 'x-oss-object-acl': 'default' });
    denied(await anon({ method: 'GET', bucket: 'pr-bucket', key: 'closed' }));
    expect((await anon({ method: 'GET', bucket: 'pr-bucket', key: 'inherits' })).status).toBe(200);
    // Changing the object ACL later takes effect at once.
    await oss.send({ method: 'PUT', bucket: 'pr-bucket', key: 'closed', query: 'acl', headers: { 'x-oss-object-acl': 'default' } });
    expect((await anon({ method: 'GET', bucket: 'pr-bucket', key: 'closed' })).status).toBe(200);
  });

  it('anonymous on a missing bucket → 404 NoSuchBucket', async () => {
    expectError(await anon({ method: 'GET', bucket: 'no-such-bucket', key: 'k' }), 404, 'NoSuchBucket');
  });
});

describe("auth: 'off'", () => {
  let open: RunningEmulator;
  let openOss: OssClient;

  beforeAll(async () => {
    ({ emu: open, oss: openOss } = await startTestEmulator({ buckets: ['open-bkt'], auth: 'off' }));
  });
  afterAll(() => open.close());

  it('accepts unsigned requests as the owner, including service and bucket configuration', async () => {
    expectEmptySuccess(await openOss.send({ method: 'PUT', bucket: 'open-bkt', key: 'k', body: 'v', auth: 'none' }));
    expect((await openOss.send({ method: 'GET', bucket: 'open-bkt', key: 'k', auth: 'none' })).text).toBe('v');
    expect((await openOss.send({ method: 'GET', auth: 'none' })).status).toBe(200);
    expect((await openOss.send({ method: 'GET', bucket: 'open-bkt', query: 'acl', auth: 'none' })).status).toBe(200);
  });

  it('accepts badly signed, skewed and unknown-key requests too', async () => {
    expectEmptySuccess(await openOss.send({ method: 'PUT', bucket: 'open-bkt', key: 'k2', body: 'v2', secret: 'wrong' }));
    expect((await openOss.send({ method: 'GET', bucket: 'open-bkt', key: 'k2', secret: 'wrong' })).text).toBe('v2');
    expect((await openOss.send({ method: 'GET', bucket: 'open-bkt', accessKeyId: 'nobody', date: new Date(0) })).status).toBe(200);
  });
});
