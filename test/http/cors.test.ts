/**
 * Bucket CORS: PutBucketCors / GetBucketCors / DeleteBucketCors, the preflight a browser sends
 * before a cross-origin request (OPTIONS, answered from the rules alone), and the Access-Control-*
 * headers on requests that carry an Origin: above all `x-oss-next-append-position`, which a page
 * can read from an append's answer only when a rule exposes it (facts §1, pitfall 8).
 */
import { describe, expect, it } from 'vitest';
import { acrossRestart, errorOf, expectEmptySuccess, expectError, parseXml, childOrder, useTestEmulator, type OssClient, type OssRequest } from './helpers.js';

const B = 'cors-bkt';
const PAGE = 'http://app.example.com';

const rule = (parts: { origins: string[]; methods: string[]; headers?: string[]; expose?: string[]; maxAge?: string }): string =>
  '<CORSRule>' +
  parts.origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join('') +
  parts.methods.map((m) => `<AllowedMethod>${m}</AllowedMethod>`).join('') +
  (parts.headers ?? []).map((h) => `<AllowedHeader>${h}</AllowedHeader>`).join('') +
  (parts.expose ?? []).map((h) => `<ExposeHeader>${h}</ExposeHeader>`).join('') +
  (parts.maxAge !== undefined ? `<MaxAgeSeconds>${parts.maxAge}</MaxAgeSeconds>` : '') +
  '</CORSRule>';
const configuration = (rules: string[], vary?: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><CORSConfiguration>${rules.join('')}${vary !== undefined ? `<ResponseVary>${vary}</ResponseVary>` : ''}</CORSConfiguration>`;

/** ali-oss's documented browser set-up: every origin, every header, the append position exposed. */
const BROWSER_RULE = rule({ origins: ['*'], methods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], headers: ['*'], expose: ['ETag', 'x-oss-request-id', 'x-oss-next-append-position'], maxAge: '600' });

const putCors = (oss: OssClient, body: string, bucket = B) => oss.send({ method: 'PUT', bucket, query: 'cors', body });
const getCors = (oss: OssClient) => oss.send({ method: 'GET', bucket: B, query: 'cors' });
const preflight = (oss: OssClient, key: string | undefined, headers: Record<string, string>, extra: Partial<OssRequest> = {}) =>
  oss.send({ method: 'OPTIONS', bucket: B, key, auth: 'none', headers, ...extra });
const corsHeadersOf = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')));

let oss: OssClient;
useTestEmulator(B, (_emu, client) => (oss = client));

{
  describe('PutBucketCors, GetBucketCors, DeleteBucketCors', () => {
    it('a bucket without rules: GetBucketCors is 404 NoSuchCORSConfiguration; DeleteBucketCors is 204 anyway', async () => {
      const error = expectError(await getCors(oss), 404, 'NoSuchCORSConfiguration', { ec: '0034-00000001', message: 'The CORS Configuration does not exist.' });
      expect(error['BucketName']).toBe(B);
      expectEmptySuccess(await oss.send({ method: 'DELETE', bucket: B, query: 'cors' }), 204);
    });

    it('put (200, empty), get back in OSS order with absent elements left out and headers lower-cased, replace, delete', async () => {
      const first = rule({ origins: ['*'], methods: ['PUT', 'GET', 'POST'], maxAge: '100' });
      const second = rule({ origins: ['http://a.example.com', 'http://b.example.com'], methods: ['GET'], headers: ['Authorization', 'X-Oss-Meta-Author'], expose: ['x-oss-request-id', 'ETag'], maxAge: '0' });
      expectEmptySuccess(await putCors(oss, configuration([first, second])));
      const got = await getCors(oss);
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toMatch(/^application\/xml/);
      expect(childOrder(got.text, 'CORSConfiguration')).toEqual(['CORSRule', 'CORSRule', 'ResponseVary']);
      const doc = parseXml(got.text)['CORSConfiguration'] as { CORSRule: Array<Record<string, unknown>>; ResponseVary: string };
      expect(doc.CORSRule[0]).toEqual({ AllowedOrigin: '*', AllowedMethod: ['PUT', 'GET', 'POST'], MaxAgeSeconds: '100' });
      expect(doc.CORSRule[1]).toEqual({
        AllowedOrigin: ['http://a.example.com', 'http://b.example.com'],
        AllowedMethod: 'GET',
        AllowedHeader: ['authorization', 'x-oss-meta-author'],
        ExposeHeader: ['x-oss-request-id', 'ETag'],
        MaxAgeSeconds: '0',
      });
      expect(doc.ResponseVary).toBe('false');
      expect(got.text.indexOf('<AllowedOrigin>')).toBeLessThan(got.text.indexOf('<AllowedMethod>'));

      expectEmptySuccess(await putCors(oss, configuration([second], 'true')));
      const replaced = parseXml((await getCors(oss)).text)['CORSConfiguration'] as { CORSRule: Record<string, unknown>; ResponseVary: string };
      expect(replaced.CORSRule['AllowedMethod']).toBe('GET');
      expect(replaced.ResponseVary).toBe('true');

      expectEmptySuccess(await oss.send({ method: 'DELETE', bucket: B, query: 'cors' }), 204);
      expectError(await getCors(oss), 404, 'NoSuchCORSConfiguration');
    });

    it('accepts what OSS accepts: origins that are no URLs, ExposeHeader punctuation, the Go SDK\'s text/plain body', async () => {
      const body = configuration([rule({ origins: ['localhost', 'n*TC(El)~:'], methods: ['HEAD'], expose: ['zK4d3,tLfa', '&amp;W%XZ'] })]);
      expectEmptySuccess(await oss.send({ method: 'PUT', bucket: B, query: 'cors', body, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
      const doc = parseXml((await getCors(oss)).text)['CORSConfiguration'] as { CORSRule: Record<string, unknown> };
      expect(doc.CORSRule['ExposeHeader']).toEqual(['zK4d3,tLfa', '&W%XZ']);
    });

    const refused: Array<[string, string, string, string]> = [
      ['no rule', configuration([]), 'InvalidArgument', '0034-00000002'],
      ['eleven rules', configuration(Array.from({ length: 11 }, () => rule({ origins: ['*'], methods: ['GET'] }))), 'InvalidArgument', '0034-00000002'],
      ['a rule without an origin', configuration([rule({ origins: [], methods: ['GET'] })]), 'InvalidArgument', '0034-00000002'],
      ['a rule without a method', configuration([rule({ origins: ['*'], methods: [] })]), 'InvalidArgument', '0034-00000002'],
      ['a method OSS does not list', configuration([rule({ origins: ['*'], methods: ['OPTIONS'] })]), 'InvalidArgument', '0034-00000011'],
      ['a lower-case method', configuration([rule({ origins: ['*'], methods: ['get'] })]), 'InvalidArgument', '0034-00000011'],
      ['a wildcard in ExposeHeader', configuration([rule({ origins: ['*'], methods: ['GET'], expose: ['x-oss-*'] })]), 'InvalidArgument', '0034-00000013'],
      ['two wildcards in an origin', configuration([rule({ origins: ['http://*.example.*'], methods: ['GET'] })]), 'InvalidArgument', '0034-00000002'],
      ['two wildcards in a header', configuration([rule({ origins: ['*'], methods: ['GET'], headers: ['x-*-*'] })]), 'InvalidArgument', '0034-00000002'],
      ['a negative MaxAgeSeconds', configuration([rule({ origins: ['*'], methods: ['GET'], maxAge: '-1' })]), 'InvalidArgument', '0034-00000002'],
      ['a ResponseVary that is no boolean', configuration([rule({ origins: ['*'], methods: ['GET'] })], 'maybe'), 'InvalidArgument', '0034-00000002'],
      // Exposed headers go back in a response header: text no header may carry would break every answer to the page.
      ['a line break in ExposeHeader', configuration([rule({ origins: ['*'], methods: ['GET'], expose: ['x-a&#10;x-b'] })]), 'InvalidArgument', '0034-00000013'],
      ['a space in ExposeHeader', configuration([rule({ origins: ['*'], methods: ['GET'], expose: ['x a'] })]), 'InvalidArgument', '0034-00000013'],
      ['a non-ASCII ExposeHeader', configuration([rule({ origins: ['*'], methods: ['GET'], expose: ['x-中'] })]), 'InvalidArgument', '0034-00000013'],
      ['more than 4,096 characters of ExposeHeader in a rule', configuration([rule({ origins: ['*'], methods: ['GET'], expose: Array.from({ length: 50 }, (_, i) => `x-oss-meta-${'h'.repeat(80)}${i}`) })]), 'InvalidArgument', '0034-00000013'],
      // GET would have to write it back raw: XML no client could read.
      ['a control character in AllowedOrigin', configuration([rule({ origins: ['http://a&#x1;.test'], methods: ['GET'] })]), 'InvalidArgument', '0034-00000002'],
      ['text beside the rules', configuration([rule({ origins: ['*'], methods: ['GET'] })]).replace('<CORSRule>', 'junk<CORSRule>'), 'MalformedXML', '0016-00000601'],
      ['malformed XML', '<CORSConfiguration><CORSRule>', 'MalformedXML', '0016-00000601'],
      ['another root', '<Tagging/>', 'MalformedXML', '0016-00000601'],
      ['an element inside AllowedOrigin', configuration([rule({ origins: ['<a>x</a>', 'y'], methods: ['GET'] })]), 'MalformedXML', '0016-00000601'],
      ['two MaxAgeSeconds in a rule', configuration([rule({ origins: ['*'], methods: ['GET'], maxAge: '1' }).replace('</CORSRule>', '<MaxAgeSeconds>2</MaxAgeSeconds></CORSRule>')]), 'MalformedXML', '0016-00000601'],
    ];
    for (const [name, body, code, ec] of refused) {
      it(`refuses ${name} (${code}, EC ${ec}) and keeps the rules it had`, async () => {
        expectEmptySuccess(await putCors(oss, configuration([rule({ origins: ['*'], methods: ['GET'], expose: ['ETag'] })])));
        const before = (await getCors(oss)).text;
        expectError(await putCors(oss, body), 400, code, { ec });
        expect((await getCors(oss)).text).toBe(before);
      });
    }

    it('a missing bucket is NoSuchBucket for all three; an anonymous caller may not set rules', async () => {
      const body = configuration([BROWSER_RULE]);
      expectError(await putCors(oss, body, 'no-such-bkt'), 404, 'NoSuchBucket');
      expectError(await oss.send({ method: 'GET', bucket: 'no-such-bkt', query: 'cors' }), 404, 'NoSuchBucket');
      expectError(await oss.send({ method: 'DELETE', bucket: 'no-such-bkt', query: 'cors' }), 404, 'NoSuchBucket');
      expectError(await oss.send({ method: 'PUT', bucket: B, query: 'cors', body, auth: 'none' }), 403, 'AccessDenied');
      expectError(await getCors(oss), 404, 'NoSuchCORSConfiguration');
    });
  });

  describe('preflight (OPTIONS)', () => {
    const NOT_ALLOWED =
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec.";

    it('a bucket without rules: 403 AccessForbidden, no CORS headers', async () => {
      const res = await preflight(oss, 'a.txt', { origin: PAGE, 'access-control-request-method': 'GET' });
      expectError(res, 403, 'AccessForbidden', { message: 'CORSResponse: CORS is not enabled for this bucket.' });
      expect(corsHeadersOf(res.headers)).toEqual({});
    });

    it('a matching rule: 200, empty, the origin (`*` for a `*` rule), all its methods, the requested headers as sent, its exposed headers and max age', async () => {
      expectEmptySuccess(await putCors(oss, configuration([BROWSER_RULE])));
      // What ali-oss's browser build sends before an append.
      const res = await preflight(oss, 'log.txt', {
        origin: PAGE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,Content-Type,x-oss-date,X-Oss-User-Agent',
      }, { query: 'append&position=0' });
      expectEmptySuccess(res);
      expect(corsHeadersOf(res.headers)).toEqual({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, PUT, POST, DELETE, HEAD',
        'access-control-allow-headers': 'authorization,Content-Type,x-oss-date,X-Oss-User-Agent',
        'access-control-expose-headers': 'ETag, x-oss-request-id, x-oss-next-append-position',
        'access-control-max-age': '600',
      });
      // The bucket itself, as before a listing; no requested headers, so no Allow-Headers (a blank list is none).
      const bucketLevel = await preflight(oss, undefined, { origin: PAGE, 'access-control-request-method': 'GET', 'access-control-request-headers': ' , ' });
      expectEmptySuccess(bucketLevel);
      expect(bucketLevel.headers['access-control-allow-origin']).toBe('*');
      expect(bucketLevel.headers['access-control-allow-headers']).toBeUndefined();
      // The service has no rules to ask: OPTIONS there is a method OSS does not take.
      expectError(await oss.send({ method: 'OPTIONS', path: '/', auth: 'none', headers: { origin: PAGE, 'access-control-request-method': 'GET' } }), 405, 'MethodNotAllowed');
    });

    it('echoes a literal or wildcard origin; matches headers without regard to case and with a wildcard; the first matching rule wins', async () => {
      const literal = rule({ origins: [PAGE], methods: ['PUT'], headers: ['x-oss-meta-*', 'Content-Type'], maxAge: '5' });
      const wildcard = rule({ origins: ['https://*.example.org'], methods: ['PUT', 'GET'] });
      const fallback = rule({ origins: ['*'], methods: ['PUT'], headers: ['*'], expose: ['ETag'] });
      expectEmptySuccess(await putCors(oss, configuration([literal, wildcard, fallback])));
      const viaLiteral = await preflight(oss, 'k', { origin: PAGE, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'X-OSS-META-Author, content-type' });
      expect(corsHeadersOf(viaLiteral.headers)).toEqual({
        'access-control-allow-origin': PAGE,
        'access-control-allow-methods': 'PUT',
        'access-control-allow-headers': 'X-OSS-META-Author, content-type',
        'access-control-max-age': '5',
      });
      const viaWildcard = await preflight(oss, 'k', { origin: 'https://cdn.example.org', 'access-control-request-method': 'GET' });
      expect(corsHeadersOf(viaWildcard.headers)).toEqual({ 'access-control-allow-origin': 'https://cdn.example.org', 'access-control-allow-methods': 'PUT, GET' });
      // A header the literal rule does not allow falls through to the last rule.
      const viaFallback = await preflight(oss, 'k', { origin: PAGE, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-oss-date' });
      expect(viaFallback.headers['access-control-allow-origin']).toBe('*');
      expect(viaFallback.headers['access-control-expose-headers']).toBe('ETag');
    });

    const denied: Array<[string, Record<string, string>]> = [
      ['a method no rule allows', { origin: PAGE, 'access-control-request-method': 'DELETE' }],
      ['a header no rule allows', { origin: PAGE, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-oss-date' }],
      ['an origin no rule allows', { origin: 'http://evil.example.net', 'access-control-request-method': 'GET' }],
      ['no Origin', { 'access-control-request-method': 'GET' }],
      ['no Access-Control-Request-Method', { origin: PAGE }],
    ];
    for (const [name, headers] of denied) {
      it(`${name}: 403 AccessForbidden with OSS's message, typos and all, and no CORS headers`, async () => {
        expectEmptySuccess(await putCors(oss, configuration([rule({ origins: [PAGE, 'http://*.example.com'], methods: ['GET', 'PUT'], headers: ['content-type'] })])));
        const res = await preflight(oss, 'k', headers);
        expectError(res, 403, 'AccessForbidden', { message: NOT_ALLOWED });
        expect(corsHeadersOf(res.headers)).toEqual({});
      });
    }

    it('is answered whoever asks: a bad signature or an unknown key changes nothing; a missing bucket is NoSuchBucket', async () => {
      expectEmptySuccess(await putCors(oss, configuration([BROWSER_RULE])));
      const headers = { origin: PAGE, 'access-control-request-method': 'GET', authorization: 'OSS nobody:bm90IGEgc2lnbmF0dXJl' };
      expect((await preflight(oss, 'k', headers)).status).toBe(200);
      expectError(await oss.send({ method: 'OPTIONS', bucket: 'no-such-bkt', key: 'k', auth: 'none', headers }), 404, 'NoSuchBucket');
    });
  });

  describe('requests that carry an Origin', () => {
    it('an append from an allowed page exposes x-oss-next-append-position; one from elsewhere gets no CORS headers but is served', async () => {
      expectEmptySuccess(await putCors(oss, configuration([rule({ origins: [PAGE], methods: ['POST', 'GET'], headers: ['*'], expose: ['x-oss-next-append-position', 'x-oss-hash-crc64ecma'] })])));
      const allowed = await oss.append(B, 'log.txt', 0, 'abc', { origin: PAGE });
      expect(allowed.status).toBe(200);
      expect(corsHeadersOf(allowed.headers)).toEqual({
        'access-control-allow-origin': PAGE,
        'access-control-allow-methods': 'POST, GET',
        'access-control-expose-headers': 'x-oss-next-append-position, x-oss-hash-crc64ecma',
      });
      const elsewhere = await oss.append(B, 'log.txt', 3, 'def', { origin: 'http://other.example.net' });
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.headers['x-oss-next-append-position']).toBe('6');
      expect(corsHeadersOf(elsewhere.headers)).toEqual({});
      // A method the rule does not list: no headers either.
      expect(corsHeadersOf((await oss.put(B, 'other.txt', 'x', { origin: PAGE })).headers)).toEqual({});
    });

    it('errors carry them too, so the page can read the error: a 409 on append, a bad signature, a HEAD of a missing object', async () => {
      expectEmptySuccess(await putCors(oss, configuration([BROWSER_RULE])));
      expect((await oss.append(B, 'log.txt', 0, 'abc')).status).toBe(200);
      const conflict = await oss.append(B, 'log.txt', 0, 'abc', { origin: PAGE });
      expectError(conflict, 409, 'PositionNotEqualToLength');
      expect(conflict.headers['access-control-allow-origin']).toBe('*');
      expect(conflict.headers['access-control-expose-headers']).toContain('x-oss-next-append-position');
      const forged = await oss.send({ method: 'GET', bucket: B, key: 'log.txt', secret: 'not-the-secret', headers: { origin: PAGE } });
      expect(errorOf(forged).Code).toBe('SignatureDoesNotMatch');
      expect(forged.headers['access-control-allow-origin']).toBe('*');
      const missing = await oss.head(B, 'missing.txt', { origin: PAGE });
      expect(missing.status).toBe(404);
      expect(missing.headers['access-control-allow-origin']).toBe('*');
    });

    it('ResponseVary: Vary: Origin on every response of the bucket, with an Origin or without; none when false', async () => {
      await oss.put(B, 'a.txt', 'a');
      expectEmptySuccess(await putCors(oss, configuration([rule({ origins: [PAGE], methods: ['GET'] })], 'true')));
      expect((await oss.get(B, 'a.txt')).headers['vary']).toBe('Origin');
      expect((await oss.get(B, 'a.txt', { origin: 'http://other.example.net' })).headers['vary']).toBe('Origin');
      expect((await preflight(oss, 'a.txt', { origin: PAGE, 'access-control-request-method': 'GET' })).headers['vary']).toBe('Origin');
      // A compressed download varies on both.
      await oss.put(B, 'page.css', 'a'.repeat(4096), { 'Content-Type': 'text/css' });
      expect((await oss.get(B, 'page.css', { 'Accept-Encoding': 'gzip', origin: PAGE })).headers['vary']).toBe('Origin, Accept-Encoding');
      expectEmptySuccess(await putCors(oss, configuration([rule({ origins: [PAGE], methods: ['GET'] })])));
      expect((await oss.get(B, 'a.txt', { origin: PAGE })).headers['vary']).toBeUndefined();
    });
  });
}

describe('CORS rules on disk', () => {
  it('survive a restart', async () => {
    await acrossRestart(
      [B],
      async (oss) => expectEmptySuccess(await putCors(oss, configuration([BROWSER_RULE], 'true'))),
      async (oss) => {
        const doc = parseXml((await getCors(oss)).text)['CORSConfiguration'] as { CORSRule: Record<string, unknown>; ResponseVary: string };
        expect(doc.CORSRule['ExposeHeader']).toEqual(['ETag', 'x-oss-request-id', 'x-oss-next-append-position']);
        expect(doc.ResponseVary).toBe('true');
        const res = await preflight(oss, 'k', { origin: PAGE, 'access-control-request-method': 'PUT' });
        expectEmptySuccess(res);
        expect(res.headers['access-control-expose-headers']).toBe('ETag, x-oss-request-id, x-oss-next-append-position');
        expect(res.headers['vary']).toBe('Origin');
      },
    );
  });
});
