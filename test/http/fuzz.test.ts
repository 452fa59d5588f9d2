/**
 * Bad input, generated: each request is one of the emulator's operations, with some of the
 * parameters, headers and body it reads, given values both valid and not (garbage numbers, cut or
 * corrupted XML, unknown enums, odd keys), now and then a stray parameter or header of another
 * operation, sent with a Content-Length or chunked, nearly always signed (V1 or V4 headers, or a
 * V1 presigned URL) so that it gets past authentication. Whatever is sent, the answer must be an OSS answer: never a 500 (only 501
 * NotImplemented among the 5xx), never a hang, always the request id and a well-formed error
 * document (`expectCommonResponse`). The emulator must stay healthy and keep serving afterwards.
 *
 * The seed is fixed so CI is repeatable; OSSEMU_FUZZ_SEED and OSSEMU_FUZZ_RUNS explore further
 * (fast-check prints the seed and the shrunk request of any failure).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { v4AuthorizationHeader, v4Datetime } from '../../client/signing/index.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../emulator/index.js';
import { errorOf, md5Base64, presignV1, rawOss, signingRequest, startTestEmulator, type Method, type OssClient, type OssRequest, type RawResponse } from './helpers.js';

const B = 'fuzz-bkt';
const SEED = Number(process.env['OSSEMU_FUZZ_SEED'] ?? 20261202);
const RUNS = Number(process.env['OSSEMU_FUZZ_RUNS'] ?? 2000);
/** Far longer than any answer takes here: past it, the request is taken to hang. */
const ANSWER_WITHIN_MS = 5_000;

let emu: RunningEmulator;
let oss: OssClient;
/** An upload in progress on `mp`, so that uploadId values can name a real one. */
let uploadId = '';

beforeAll(async () => {
  ({ emu, oss } = await startTestEmulator({ buckets: [B] }));
  await oss.put(B, 'k', 'normal object');
  await oss.append(B, 'app', 0, 'appendable');
  await oss.send({ method: 'PUT', bucket: B, key: 'link', query: 'symlink', headers: { 'x-oss-symlink-target': 'k' } });
  uploadId = await oss.initiateMultipartUpload(B, 'mp');
});
afterAll(() => emu?.close());

/** Printable ASCII: what a header value can hold (Node's client refuses the rest before sending). */
const printable = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

const numberish = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map(String),
  fc.integer({ min: 0, max: 2 ** 53 }).map(String),
  fc.constantFrom('', 'abc', '1e3', '0x10', '007', '1.5', '99999999999999999999999', ' 1', '+1'),
);

/** Query parameters of every operation, the ones that select it and the ones it reads. */
const PARAMETERS: ReadonlyArray<readonly [string, fc.Arbitrary<string | null>]> = [
  ['append', fc.constantFrom(null, '')],
  ['position', numberish],
  ['acl', fc.constantFrom(null, '')],
  ['tagging', fc.constantFrom(null, '')],
  ['uploads', fc.constantFrom(null, '')],
  ['uploadId', fc.oneof(fc.constant('real'), printable(40))],
  ['partNumber', numberish],
  ['objectMeta', fc.constant(null)],
  ['delete', fc.constant(null)],
  ['restore', fc.constant(null)],
  ['symlink', fc.constantFrom(null, '')],
  ['bucketInfo', fc.constant(null)],
  ['location', fc.constant(null)],
  ['stat', fc.constant(null)],
  ['policy', fc.constant(null)],
  ['symlink', fc.constant(null)],
  ['cors', fc.constant(null)],
  ['list-type', fc.oneof(fc.constantFrom('2', '1', '3'), numberish)],
  ['max-keys', numberish],
  ['max-uploads', numberish],
  ['max-parts', numberish],
  ['part-number-marker', numberish],
  ['marker', printable(20)],
  ['key-marker', printable(20)],
  ['upload-id-marker', printable(20)],
  ['prefix', fc.string({ maxLength: 12 })],
  ['delimiter', fc.constantFrom('/', '', '//', 'ab')],
  ['start-after', fc.string({ maxLength: 12 })],
  ['continuation-token', fc.oneof(fc.constantFrom('', '!!', 'a2V5'), printable(20))],
  ['fetch-owner', fc.constantFrom('true', 'false', 'yes')],
  ['encoding-type', fc.constantFrom('url', 'URL', 'base64', '')],
  ['response-content-type', printable(20)],
  ['response-content-disposition', printable(20)],
  ['response-content-encoding', fc.constantFrom('gzip', 'identity', '')],
  ['response-expires', printable(20)],
  ['x-oss-traffic-limit', numberish],
  ['versionId', printable(10)],
  ['x-oss-process', printable(20)],
  ['OSSAccessKeyId', printable(10)],
  ['Expires', numberish],
  ['Signature', printable(10)],
  ['unknown', fc.constantFrom(null, 'x')],
];

const dates = fc.oneof(
  fc.date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true }).map((d) => d.toUTCString()),
  fc.constantFrom('Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994', '1', '12/31/2099', ''),
  printable(30),
);

/** Request headers the operations read, with values OSS accepts and values it refuses. */
const HEADERS: ReadonlyArray<readonly [string, fc.Arbitrary<string>]> = [
  ['Content-MD5', fc.oneof(fc.constantFrom('', 'abc', md5Base64('')), fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64')))],
  ['Content-Type', fc.oneof(fc.constantFrom('text/plain', 'application/xml', 'application/octet-stream', 'multipart/form-data; boundary=x', ''), printable(30))],
  ['x-oss-object-acl', fc.oneof(fc.constantFrom('private', 'public-read', 'public-read-write', 'default'), printable(10))],
  ['x-oss-acl', fc.oneof(fc.constantFrom('private', 'public-read', 'public-read-write'), printable(10))],
  ['x-oss-storage-class', fc.oneof(fc.constantFrom('Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'), printable(10))],
  ['x-oss-tagging', fc.oneof(fc.constantFrom('a=b&c=d', 'a', '=b', 'a=b&a=c', '%ZZ=1'), printable(40))],
  ['x-oss-meta-fuzz', printable(40)],
  ['Range', fc.oneof(fc.constantFrom('bytes=0-3', 'bytes=-5', 'bytes=5-', 'bytes=9-2', 'bytes=a-b', 'bytes=0-1,2-3', 'bytes=99999999999999999999-'), printable(20))],
  ['x-oss-range-behavior', fc.constantFrom('standard', 'other')],
  ['If-Match', fc.oneof(fc.constantFrom('*', '"abc"', 'W/"x"', ''), printable(20))],
  ['If-None-Match', fc.oneof(fc.constantFrom('*', '"abc"', ''), printable(20))],
  ['If-Modified-Since', dates],
  ['If-Unmodified-Since', dates],
  ['x-oss-copy-source', fc.oneof(fc.constantFrom(`/${B}/k`, `/${B}/app`, `/${B}/link`, `/${B}/`, '/nope-bucket/k', `/${B}/%ZZ`, `/${B}/missing`, 'k', ''), printable(30))],
  ['x-oss-copy-source-range', fc.oneof(fc.constantFrom('bytes=0-3', 'bytes=5-1', 'bytes=x'), printable(15))],
  ['x-oss-copy-source-if-match', printable(15)],
  ['x-oss-copy-source-if-modified-since', dates],
  ['x-oss-metadata-directive', fc.constantFrom('COPY', 'REPLACE', 'copy', 'other')],
  ['x-oss-tagging-directive', fc.constantFrom('Copy', 'Replace', 'other')],
  ['x-oss-server-side-encryption', fc.constantFrom('AES256', 'KMS', 'SM4', 'aes256', '')],
  ['x-oss-server-side-data-encryption', fc.constantFrom('SM4', 'AES256', 'x')],
  ['x-oss-server-side-encryption-key-id', printable(20)],
  ['x-oss-forbid-overwrite', fc.constantFrom('true', 'false', 'maybe')],
  ['x-oss-symlink-target', fc.oneof(fc.constantFrom('k', 'app', 'missing', 'link', '%ZZ', '%2Fabs', 'a+b', ''), printable(30))],
  ['x-oss-complete-all', fc.constantFrom('yes', 'no')],
  ['x-oss-traffic-limit', numberish],
  ['Accept-Encoding', fc.constantFrom('gzip', 'identity', 'br, gzip;q=0')],
  ['Cache-Control', printable(20)],
  ['Content-Disposition', printable(20)],
  ['Content-Encoding', fc.constantFrom('gzip', 'identity', '')],
  ['Expires', dates],
];

/** The XML (and JSON) bodies operations read, whole or cut short or with garbage in them. */
const DOCUMENTS = {
  tagging: '<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>',
  complete: '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"A"</ETag></Part></CompleteMultipartUpload>',
  delete: '<Delete><Quiet>true</Quiet><Object><Key>k</Key></Object><Object><Key>app</Key></Object></Delete>',
  restore: '<RestoreRequest><Days>2</Days><JobParameters><Tier>Expedited</Tier></JobParameters></RestoreRequest>',
  createBucket: '<CreateBucketConfiguration><StorageClass>IA</StorageClass><DataRedundancyType>ZRS</DataRedundancyType></CreateBucketConfiguration>',
  acl: '<AccessControlPolicy><AccessControlList><Grant>private</Grant></AccessControlList></AccessControlPolicy>',
  policy: '{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject"],"Principal":["*"],"Resource":["acs:oss:*:*:fuzz-bkt/*"]}]}',
};
type DocumentName = keyof typeof DOCUMENTS;
/** Any body: none, random bytes, or any operation's document (sent where another one is expected, too). */
const bodies: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
  fc.constantFrom(...(Object.keys(DOCUMENTS) as DocumentName[])).chain(documentVariants),
);

/** Keys: mostly ones that exist or may (so operations get past their checks), sometimes odd ones. */
const keys: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom('k', 'app', 'mp', 'link', 'dir/k', 'new-key', 'dir/sub/new'), weight: 6 },
  { arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9/._-]{0,20}$/), weight: 2 },
  { arbitrary: fc.constantFrom('a b+c%d', '..', './x', '/lead', 'dir//k', 'trailing/'), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), weight: 1 },
  { arbitrary: fc.integer({ min: 1000, max: 1100 }).map((n) => 'x'.repeat(n)), weight: 1 },
);
const buckets = fc.oneof({ arbitrary: fc.constant(B), weight: 8 }, { arbitrary: fc.constantFrom('nope-bucket', 'Bad_Name', 'ab'), weight: 1 });
/** Buckets a fuzzed PutBucket or DeleteBucket may create or remove: never the one the rest use. */
const spareBuckets = fc.constantFrom('fuzz-spare-1', 'fuzz-spare-2', 'Bad_Name', 'ab', B);

type Parameter = readonly [string, string | null];
type Header = readonly [string, string];
interface Shape {
  method: Method;
  /** undefined: the service (ListBuckets); otherwise a bucket, and a key for object operations. */
  bucket?: string;
  key?: string;
  parameters: Parameter[];
  headers: Header[];
  body: Buffer;
}

const value = (name: string): fc.Arbitrary<string | null> => PARAMETERS.find(([n]) => n === name)![1];
const header = (name: string): fc.Arbitrary<string> => HEADERS.find(([n]) => n === name)![1];
/** Some of these parameters, each with a generated value. */
const someParameters = (...names: string[]): fc.Arbitrary<Parameter[]> =>
  fc.subarray(names).chain((chosen) => fc.tuple(...chosen.map((name) => value(name).map((v): Parameter => [name, v]))));
const someHeaders = (...names: string[]): fc.Arbitrary<Header[]> =>
  fc.subarray(names).chain((chosen) => fc.tuple(...chosen.map((name) => header(name).map((v): Header => [name, v]))));
const selecting = (...parameters: Parameter[]): fc.Arbitrary<Parameter[]> => fc.constant(parameters);
const joined = <T>(...parts: Array<fc.Arbitrary<T[]>>): fc.Arbitrary<T[]> => fc.tuple(...parts).map((lists) => lists.flat());
/** Mostly the operation's own document (whole, cut or corrupted), sometimes any body. */
const document = (name: DocumentName): fc.Arbitrary<Buffer> => fc.oneof({ arbitrary: documentVariants(name), weight: 3 }, { arbitrary: bodies, weight: 1 });
const noBody = fc.oneof({ arbitrary: fc.constant(Buffer.alloc(0)), weight: 5 }, { arbitrary: bodies, weight: 1 });
const OBJECT_HEADERS = ['Content-Type', 'x-oss-object-acl', 'x-oss-storage-class', 'x-oss-tagging', 'x-oss-meta-fuzz', 'x-oss-forbid-overwrite', 'x-oss-server-side-encryption', 'x-oss-server-side-data-encryption', 'x-oss-server-side-encryption-key-id', 'Cache-Control', 'Content-Disposition', 'Content-Encoding', 'Expires', 'x-oss-traffic-limit'];
const READ_HEADERS = ['Range', 'x-oss-range-behavior', 'If-Match', 'If-None-Match', 'If-Modified-Since', 'If-Unmodified-Since', 'Accept-Encoding'];
const READ_PARAMETERS = ['response-content-type', 'response-content-disposition', 'response-content-encoding', 'response-expires', 'x-oss-traffic-limit'];
const COPY_HEADERS = ['x-oss-copy-source', 'x-oss-copy-source-range', 'x-oss-copy-source-if-match', 'x-oss-copy-source-if-modified-since', 'x-oss-metadata-directive', 'x-oss-tagging-directive'];
const LIST_PARAMETERS = ['prefix', 'delimiter', 'marker', 'max-keys', 'encoding-type'];
const V2_PARAMETERS = ['prefix', 'delimiter', 'start-after', 'continuation-token', 'max-keys', 'fetch-owner', 'encoding-type'];

const shape = (method: Method, bucket: fc.Arbitrary<string | undefined>, key: fc.Arbitrary<string | undefined>, parameters: fc.Arbitrary<Parameter[]>, headers: fc.Arbitrary<Header[]>, body: fc.Arbitrary<Buffer>): fc.Arbitrary<Shape> =>
  fc.record({ bucket, key, parameters, headers, body }).map((parts) => ({ method, ...parts }));
const onBucket = (method: Method, parameters: fc.Arbitrary<Parameter[]>, headers: fc.Arbitrary<Header[]> = fc.constant([]), body = noBody, bucket: fc.Arbitrary<string> = buckets) =>
  shape(method, bucket, fc.constant(undefined), parameters, headers, body);
const onObject = (method: Method, parameters: fc.Arbitrary<Parameter[]>, headers: fc.Arbitrary<Header[]> = fc.constant([]), body = noBody) => shape(method, buckets, keys, parameters, headers, body);
const upload = selecting(['uploadId', 'real']);

/** Every operation the emulator serves, each with the parameters, headers and body it reads. */
const OPERATIONS: ReadonlyArray<fc.Arbitrary<Shape>> = [
  shape('GET', fc.constant(undefined), fc.constant(undefined), someParameters('prefix', 'marker', 'max-keys'), fc.constant([]), noBody),
  onBucket('PUT', fc.constant([]), someHeaders('x-oss-acl'), document('createBucket'), spareBuckets),
  onBucket('DELETE', fc.constant([]), fc.constant([]), noBody, spareBuckets),
  ...['bucketInfo', 'location', 'stat', 'acl', 'policy'].map((name) => onBucket('GET', selecting([name, null]))),
  onBucket('PUT', selecting(['acl', null]), someHeaders('x-oss-acl')),
  onBucket('PUT', selecting(['policy', null]), fc.constant([]), document('policy')),
  onBucket('DELETE', selecting(['policy', null])),
  onBucket('GET', someParameters(...LIST_PARAMETERS)),
  onBucket('GET', joined(selecting(['list-type', '2']), someParameters(...V2_PARAMETERS))),
  onBucket('GET', joined(selecting(['uploads', null]), someParameters('prefix', 'delimiter', 'key-marker', 'upload-id-marker', 'max-uploads', 'encoding-type'))),
  onBucket('POST', selecting(['delete', null]), someHeaders('Content-MD5'), document('delete')),
  onObject('PUT', fc.constant([]), someHeaders('Content-MD5', ...OBJECT_HEADERS), bodies),
  onObject('PUT', fc.constant([]), joined(someHeaders(...COPY_HEADERS), someHeaders(...OBJECT_HEADERS))),
  onObject('GET', someParameters(...READ_PARAMETERS), someHeaders(...READ_HEADERS)),
  onObject('HEAD', fc.constant([]), someHeaders(...READ_HEADERS)),
  onObject('HEAD', selecting(['objectMeta', null])),
  onObject('GET', selecting(['objectMeta', null])),
  onObject('DELETE', fc.constant([])),
  onObject('POST', joined(selecting(['append', null]), someParameters('position')), someHeaders('Content-MD5', ...OBJECT_HEADERS), bodies),
  onObject('POST', selecting(['restore', null]), fc.constant([]), document('restore')),
  onObject('PUT', selecting(['symlink', null]), someHeaders('x-oss-symlink-target', ...OBJECT_HEADERS)),
  onObject('GET', selecting(['symlink', null])),
  onObject('POST', selecting(['uploads', null]), someHeaders(...OBJECT_HEADERS)),
  onObject('PUT', joined(upload, someParameters('partNumber')), someHeaders('Content-MD5'), bodies),
  onObject('PUT', joined(upload, someParameters('partNumber')), someHeaders(...COPY_HEADERS)),
  onObject('POST', upload, someHeaders('x-oss-complete-all', 'x-oss-object-acl', 'x-oss-forbid-overwrite'), document('complete')),
  onObject('DELETE', upload),
  onObject('GET', joined(upload, someParameters('max-parts', 'part-number-marker', 'encoding-type'))),
  ...(['GET', 'DELETE'] as const).flatMap((method) => ['acl', 'tagging'].map((name) => onObject(method, selecting([name, null])))),
  onObject('PUT', selecting(['acl', null]), someHeaders('x-oss-object-acl')),
  onObject('PUT', selecting(['tagging', null]), someHeaders('Content-MD5'), document('tagging')),
];

/** The XML and JSON documents: whole, cut short, or with garbage inserted. */
function documentVariants(name: DocumentName): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.nat(), fc.string({ maxLength: 20 }), fc.constantFrom('whole', 'whole', 'cut', 'inserted')).map(([at, garbage, how]) => {
    const text = DOCUMENTS[name];
    const cut = at % (text.length + 1);
    if (how === 'whole') return Buffer.from(text.startsWith('<') ? `<?xml version="1.0" encoding="UTF-8"?>${text}` : text);
    if (how === 'cut') return Buffer.from(text.slice(0, cut));
    return Buffer.from(text.slice(0, cut) + garbage + text.slice(cut));
  });
}

/** An operation's request, sometimes with a stray parameter or header of another, and sometimes the body's true MD5. */
const requests = fc
  .record({
    shape: fc.oneof(...OPERATIONS),
    strayParameters: fc.option(fc.subarray([...PARAMETERS], { maxLength: 2 }).chain((chosen) => fc.tuple(...chosen.map(([name, v]) => v.map((x): Parameter => [name, x])))), { freq: 3 }),
    strayHeaders: fc.option(fc.subarray([...HEADERS], { maxLength: 3 }).chain((chosen) => fc.tuple(...chosen.map(([name, v]) => v.map((x): Header => [name, x])))), { freq: 3 }),
    trueMd5: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
    /** Sent chunked, in pieces of this size; or with a Content-Length. */
    chunkSize: fc.option(fc.integer({ min: 1, max: 4096 }), { freq: 4 }),
    signing: fc.constantFrom<Signing>('v1', 'v1', 'v1', 'v1', 'v4', 'v4', 'v4', 'v4', 'presigned-v1', 'none'),
  })
  .map(({ shape: { method, bucket, key, parameters, headers, body }, strayParameters, strayHeaders, trueMd5, chunkSize, signing }) => {
    const allHeaders: Record<string, string> = Object.fromEntries([...headers, ...(strayHeaders ?? [])]);
    if (trueMd5) allHeaders['Content-MD5'] = md5Base64(body);
    const request: OssRequest = {
      method,
      bucket,
      key: bucket === undefined ? undefined : key,
      query: [...parameters, ...(strayParameters ?? [])].map(encodeParameter).join('&'),
      headers: allHeaders,
      body,
    };
    return { request, signing, chunks: chunkSize === null ? undefined : piecesOf(body, chunkSize) };
  });

/** How a request is signed: V1 or V4 header signing, a V1 presigned URL (at sending time), or not at all. */
type Signing = 'v1' | 'v4' | 'presigned-v1' | 'none';

/** The headers of `request` with x-oss-date, x-oss-content-sha256 and a V4 Authorization, as the SDKs send them. */
function signV4(request: OssRequest): Record<string, string> {
  const datetime = v4Datetime(new Date());
  const headers: Record<string, string> = { ...request.headers, 'x-oss-date': datetime, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
  headers['Authorization'] = v4AuthorizationHeader({
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
    secret: DEFAULT_ACCESS_KEY_SECRET,
    region: 'cn-hangzhou',
    req: signingRequest(request, { ...headers, host: `127.0.0.1:${emu.port}` }),
    datetime,
  });
  return headers;
}

/** One encoded query parameter; `real` uploadIds become the upload in progress. */
function encodeParameter([name, value]: Parameter): string {
  const actual = name === 'uploadId' && value === 'real' ? uploadId : value;
  return actual === null ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(actual)}`;
}

function piecesOf(body: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) pieces.push(body.subarray(at, at + size));
  return pieces;
}

/**
 * The answer, read off the socket as sent (no decoding: a stored Content-Encoding is not the body's)
 * and checked against the common response rules; or a failure naming the request that hung.
 */
async function answer({ request, signing, chunks }: { request: OssRequest; signing: Signing; chunks?: Buffer[] }): Promise<RawResponse> {
  const signed: OssRequest =
    signing === 'v4'
      ? { ...request, auth: 'none', headers: signV4(request) }
      : signing === 'presigned-v1'
        ? { ...request, auth: 'none', query: presignV1(request, Math.floor(Date.now() / 1000) + 600) }
        : { ...request, auth: signing };
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  });
  try {
    return await Promise.race([rawOss(emu.port, signed, { chunks }), hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe('generated bad input', () => {
  it(`gets an OSS answer every time: ${RUNS} requests, seed ${SEED}`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests, async (generated) => {
        const res = await answer(generated);
        expect(res.status < 500 || res.status === 501, `${res.status}: ${res.text || res.headers['x-oss-err'] || ''}`).toBe(true);
        // Whatever the request holds, the client's signers and the server's checks agree on what was signed.
        if (generated.signing !== 'none') expect(res.status === 403 && errorOf(res).Code === 'SignatureDoesNotMatch', res.text || res.headers['x-oss-err']).toBe(false);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The requests reach the operations: successes and many kinds of refusal, not one early error.
    expect(statuses.size, JSON.stringify([...statuses])).toBeGreaterThanOrEqual(6);
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    // And the emulator still serves.
    expect((await fetch(`${emu.endpoint}/_ossemu/health`)).status).toBe(200);
    expect((await oss.put(B, 'after-fuzz', 'still here')).status).toBe(200);
    expect((await oss.get(B, 'after-fuzz')).text).toBe('still here');
  }, 120_000);
});
