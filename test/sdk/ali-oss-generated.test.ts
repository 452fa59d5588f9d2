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
import { generatedObjects } from '../support/generated-objects.js';

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

describe.each(CONFIGS)('ali-oss ($id) with generated keys, metadata and headers', (config) => {
  it(`stores exactly what it was sent: ${RUNS} cases, seed ${SEED}`, async () => {
    const client = createClient(config);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(generatedObjects, async ({ key, body, meta, contentType, contentDisposition }) => {
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
