/**
 * The official ali-oss SDK with generated input: keys of any characters OSS allows (spaces, `+`,
 * `%`, `?`, `#`, non-ASCII, nested slashes), metadata values with spaces and punctuation, odd
 * content types and dispositions, in all four client configurations (IP endpoint with its forged
 * Host, or localhost with sldEnable; V1 or V4). Whatever the SDK signs and however it encodes the
 * key, the emulator must compute the same signature and store exactly that key: put, then head,
 * get and list it back, then append to an appendable twin and delete both.
 *
 * The seed is fixed so CI is repeatable; OSSEMU_SDK_FUZZ_SEED and OSSEMU_SDK_FUZZ_RUNS explore further.
 */
import OSS from 'ali-oss';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../client/crc64.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';

const BUCKET = 'ali-oss-generated';
const SEED = Number(process.env['OSSEMU_SDK_FUZZ_SEED'] ?? 20261202);
const RUNS = Number(process.env['OSSEMU_SDK_FUZZ_RUNS'] ?? 40);

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ buckets: [BUCKET] });
});
afterAll(() => emulator?.close());

/** The ali-oss calls used here, as 6.23 has them (its typings lack `append`'s result fields). */
interface Client {
  put(name: string, body: Buffer, options: { headers?: Record<string, string>; meta?: Record<string, string>; mime?: string }): Promise<{ res: { status: number } }>;
  head(name: string): Promise<{ status: number; meta: Record<string, string> | null; res: { headers: Record<string, string> } }>;
  get(name: string): Promise<{ content: Buffer; res: { headers: Record<string, string> } }>;
  list(query: { prefix: string; 'max-keys': number }, options: object): Promise<{ objects?: Array<{ name: string; size: number }> }>;
  append(name: string, body: Buffer, options: { position: string }): Promise<{ nextAppendPosition: string; res: { headers: Record<string, string> } }>;
  delete(name: string): Promise<{ res: { status: number } }>;
}

const CONFIGS = [
  { id: 'ip-v1', host: '127.0.0.1', sldEnable: false, v4: false },
  { id: 'ip-v4', host: '127.0.0.1', sldEnable: false, v4: true },
  { id: 'sld-v1', host: 'localhost', sldEnable: true, v4: false },
  { id: 'sld-v4', host: 'localhost', sldEnable: true, v4: true },
] as const;

function createClient(config: (typeof CONFIGS)[number]): Client {
  return new OSS({
    endpoint: `http://${config.host}:${emulator.port}`,
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    bucket: BUCKET,
    sldEnable: config.sldEnable,
    ...(config.v4 ? { authorizationV4: true, region: 'oss-cn-hangzhou' } : {}),
    // `sldEnable` is an ali-oss option its typings lack.
  } as OSS.Options) as unknown as Client;
}

/** Printable ASCII, which is what HTTP header values can carry as they are. */
const printable = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength, maxLength });
/** Key segments: any character OSS allows in a key, weighted towards the ones encodings disagree on. */
const segment = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.constantFrom(' ', '+', '%', '?', '#', '&', '=', ';', ':', '@', '~', '*', "'", '(', ')', '!', '$', ',', '[', ']'), weight: 2 },
    { arbitrary: fc.constantFrom('é', '中', '文', 'ß', '😀', 'Ω'), weight: 1 },
    { arbitrary: fc.constantFrom(...'abcXYZ019-_.'), weight: 4 },
  ),
  minLength: 1,
  maxLength: 12,
});
// No segment is '.' or '..': ali-oss's HTTP layer resolves those in the URL after signing the key as given, so such
// keys fail against OSS too (README, ali-oss). Segments are never empty, so no key starts with '/' (InvalidObjectName).
const keys = fc
  .array(segment.filter((s) => s !== '.' && s !== '..'), { minLength: 1, maxLength: 4 })
  .map((segments) => segments.join('/'));

const cases = fc.record({
  key: keys,
  body: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
  // Metadata names are case-insensitive on the wire: lower-case ones come back as sent.
  meta: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), printable(0, 30).map((v) => v.trim()), { maxKeys: 3 }),
  contentType: fc.option(fc.oneof(fc.constantFrom('text/plain; charset=utf-8', 'application/x-custom', 'image/png'), printable(1, 20).map((v) => v.trim()).filter((v) => v.length > 0)), { nil: undefined }),
  contentDisposition: fc.option(printable(1, 30).map((v) => v.trim()).filter((v) => v.length > 0), { nil: undefined }),
});

describe.each(CONFIGS)('ali-oss ($id) with generated keys, metadata and headers', (config) => {
  it(`stores exactly what it was sent: ${RUNS} cases, seed ${SEED}`, async () => {
    const client = createClient(config);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(cases, async ({ key, body, meta, contentType, contentDisposition }) => {
        // Its own prefix per case, so a listing finds this key and nothing else.
        const prefix = `${config.id}/${n++}/`;
        const name = prefix + key;
        const headers: Record<string, string> = {};
        if (contentType !== undefined) headers['Content-Type'] = contentType;
        if (contentDisposition !== undefined) headers['Content-Disposition'] = contentDisposition;
        expect((await client.put(name, body, { headers, meta })).res.status).toBe(200);

        const head = await client.head(name);
        expect(head.status).toBe(200);
        expect(head.res.headers['content-length']).toBe(String(body.length));
        expect(head.res.headers['x-oss-hash-crc64ecma']).toBe(crc64(body).toString());
        expect(head.meta ?? {}).toEqual(meta);
        if (contentType !== undefined) expect(head.res.headers['content-type']).toBe(contentType);
        if (contentDisposition !== undefined) expect(head.res.headers['content-disposition']).toBe(contentDisposition);

        expect((await client.get(name)).content.equals(body)).toBe(true);
        const listed = await client.list({ prefix, 'max-keys': 10 }, {});
        expect((listed.objects ?? []).map((o) => [o.name, o.size])).toEqual([[name, body.length]]);

        // An appendable twin under the same odd key: two appends, the CRC of the whole.
        const twin = `${name}.log`;
        const first = await client.append(twin, body, { position: '0' });
        const second = await client.append(twin, body, { position: first.nextAppendPosition });
        expect(second.nextAppendPosition).toBe(String(body.length * 2));
        expect(second.res.headers['x-oss-hash-crc64ecma']).toBe(crc64(Buffer.concat([body, body])).toString());

        for (const doomed of [name, twin]) expect((await client.delete(doomed)).res.status).toBe(204);
        await expect(client.head(name)).rejects.toMatchObject({ status: 404 });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);
});
