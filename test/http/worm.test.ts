/**
 * Bucket WORM retention policies (InitiateBucketWorm, AbortBucketWorm, CompleteBucketWorm,
 * ExtendBucketWorm, GetBucketWorm), and what a policy in force refuses: deleting, overwriting or
 * appending to an object within RetentionPeriodInDays of its last change (409 FileImmutable).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OSS from 'ali-oss';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postPolicySignatureV1 } from '../../client/index.js';
import type { RunningEmulator } from '../../emulator/index.js';
import {
  acrossRestart,
  errorOf,
  expectEmptySuccess,
  expectError,
  md5Base64,
  objectPath,
  parseXml,
  signV1,
  sleep,
  startTestEmulator,
  useTestEmulator,
  type OssClient,
  type OssResponse,
} from './helpers.js';

const B = 'worm-bkt';
let emu: RunningEmulator;
let oss: OssClient;
useTestEmulator(B, (e, o) => ((emu = e), (oss = o)));
afterEach(() => vi.useRealTimers());

const DAY_MS = 24 * 60 * 60 * 1000;
const initiateBody = (days: number | string): string => `<InitiateWormConfiguration><RetentionPeriodInDays>${days}</RetentionPeriodInDays></InitiateWormConfiguration>`;
const extendBody = (days: number | string): string => `<ExtendWormConfiguration><RetentionPeriodInDays>${days}</RetentionPeriodInDays></ExtendWormConfiguration>`;

async function initiate(days: number, bucket = B): Promise<string> {
  const res = await oss.bucket('POST', bucket, 'worm', initiateBody(days));
  expectEmptySuccess(res);
  return res.headers['x-oss-worm-id']!;
}

async function lock(days: number): Promise<string> {
  const id = await initiate(days);
  expectEmptySuccess(await oss.bucket('POST', B, `wormId=${id}`));
  return id;
}

type WormDocument = { WormId: string; State: string; RetentionPeriodInDays: string; CreationDate: string; ExpirationDate?: string };
async function getWorm(): Promise<WormDocument> {
  const res = await oss.bucket('GET', B, 'worm');
  expect(res.status, res.text).toBe(200);
  return (parseXml(res.text) as { WormConfiguration: WormDocument }).WormConfiguration;
}

const expectImmutable = (res: OssResponse, key: string): void => {
  expectError(res, 409, 'FileImmutable', { ec: '0026-00000005', message: 'The object you specified is immutable' });
  expect(errorOf(res)['Key']).toBe(key);
};

/** Sets the clock (Date only: timers and I/O run as usual) for the emulator and the client alike. */
function setClock(epochMs: number): void {
  vi.useFakeTimers({ toFake: ['Date'], now: epochMs });
}

describe('the policy operations', () => {
  it('Initiate: 200, empty body, x-oss-worm-id; GET shows it InProgress with its period, creation and lapse dates', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const id = await initiate(30);
    expect(id).toMatch(/^[0-9A-F]{32}$/);
    const worm = await getWorm();
    expect(Object.keys(worm)).toEqual(['WormId', 'State', 'RetentionPeriodInDays', 'CreationDate', 'ExpirationDate']);
    expect(worm).toMatchObject({ WormId: id, State: 'InProgress', RetentionPeriodInDays: '30' });
    expect(worm.CreationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(Date.parse(worm.CreationDate)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(worm.ExpirationDate!) - Date.parse(worm.CreationDate)).toBe(DAY_MS);
  });

  it('Complete with its id locks it (200; again: 200); a locked policy has no lapse date', async () => {
    const id = await initiate(1);
    expectEmptySuccess(await oss.bucket('POST', B, `wormId=${id}`));
    expectEmptySuccess(await oss.bucket('POST', B, `wormId=${id}`));
    const worm = await getWorm();
    expect(worm).toMatchObject({ WormId: id, State: 'Locked', RetentionPeriodInDays: '1' });
    expect(worm.ExpirationDate).toBeUndefined();
  });

  it('Complete or Extend with another id → 404 NoSuchWORMConfiguration', async () => {
    const id = await initiate(1);
    expectError(await oss.bucket('POST', B, 'wormId=0123456789ABCDEF0123456789ABCDEF'), 404, 'NoSuchWORMConfiguration', { message: 'The specified WORM ID does not exist.' });
    expectEmptySuccess(await oss.bucket('POST', B, `wormId=${id}`));
    expectError(await oss.bucket('POST', B, 'wormExtend&wormId=0123456789ABCDEF0123456789ABCDEF', extendBody(5)), 404, 'NoSuchWORMConfiguration');
  });

  it('Abort drops an InProgress policy (204; then GET, Abort and Complete → 404); a new Initiate gets a new id', async () => {
    const id = await initiate(1);
    expectEmptySuccess(await oss.bucket('DELETE', B, 'worm'), 204);
    const res = await oss.bucket('GET', B, 'worm');
    expect(expectError(res, 404, 'NoSuchWORMConfiguration', { ec: '0027-00000009', message: 'The WORM Configuration does not exist.' })['BucketName']).toBe(B);
    expectError(await oss.bucket('DELETE', B, 'worm'), 404, 'NoSuchWORMConfiguration');
    expectError(await oss.bucket('POST', B, `wormId=${id}`), 404, 'NoSuchWORMConfiguration');
    expect(await initiate(1)).not.toBe(id);
  });

  it('Abort of a Locked policy → 403 WORMConfigurationLocked (oss2, C++ and Java tests against OSS); it stays', async () => {
    await lock(1);
    expectError(await oss.bucket('DELETE', B, 'worm'), 403, 'WORMConfigurationLocked', { message: 'The WORM Configuration is locked.' });
    expect((await getWorm()).State).toBe('Locked');
  });

  it('Extend: a Locked policy to a longer period (200, wormId after wormExtend or before); InProgress → 400 InvalidWORMConfiguration (oss2 test against OSS)', async () => {
    const id = await initiate(1);
    expectError(await oss.bucket('POST', B, `wormExtend&wormId=${id}`, extendBody(2)), 400, 'InvalidWORMConfiguration', { message: 'Only a locked WORM configuration can be extended.' });
    expectEmptySuccess(await oss.bucket('POST', B, `wormId=${id}`));
    expectEmptySuccess(await oss.bucket('POST', B, `wormExtend&wormId=${id}`, extendBody(2)));
    expectEmptySuccess(await oss.bucket('POST', B, `wormId=${id}&wormExtend`, extendBody(3)));
    expect((await getWorm()).RetentionPeriodInDays).toBe('3');
  });

  it('[GUESS] Extend to a shorter or equal period → 400 InvalidWORMConfiguration, unchanged', async () => {
    const id = await lock(5);
    for (const days of [5, 4]) expectError(await oss.bucket('POST', B, `wormExtend&wormId=${id}`, extendBody(days)), 400, 'InvalidWORMConfiguration');
    expect((await getWorm()).RetentionPeriodInDays).toBe('5');
  });

  it('[GUESS] Initiate while a policy is in force → 400 InvalidWORMConfiguration, the policy unchanged', async () => {
    const id = await initiate(1);
    expectError(await oss.bucket('POST', B, 'worm', initiateBody(2)), 400, 'InvalidWORMConfiguration');
    expect((await getWorm()).WormId).toBe(id);
  });

  it('RetentionPeriodInDays: missing → MalformedXML (0027-00000004); not a number (0027-00000005) or outside 1..25550 (0027-00000002) → InvalidArgument', async () => {
    expectError(await oss.bucket('POST', B, 'worm', '<InitiateWormConfiguration/>'), 400, 'MalformedXML', { ec: '0027-00000004' });
    expectError(await oss.bucket('POST', B, 'worm', '<InitiateWormConfiguration><Days>1</Days>'), 400, 'MalformedXML');
    expectError(await oss.bucket('POST', B, 'worm', initiateBody('test')), 400, 'InvalidArgument', { ec: '0027-00000005' });
    for (const days of ['0', '-32', '25551']) expectError(await oss.bucket('POST', B, 'worm', initiateBody(days)), 400, 'InvalidArgument', { ec: '0027-00000002' });
    expectError(await oss.bucket('GET', B, 'worm'), 404, 'NoSuchWORMConfiguration');
    expect((await oss.bucket('POST', B, 'worm', initiateBody(25550))).status).toBe(200);
  });

  it('a missing bucket → 404 NoSuchBucket; anonymous requests → 403 AccessDenied (owner only)', async () => {
    expectError(await oss.bucket('POST', 'no-such-worm-bucket', 'worm', initiateBody(1)), 404, 'NoSuchBucket');
    expectError(await oss.bucket('GET', 'no-such-worm-bucket', 'worm'), 404, 'NoSuchBucket');
    expectError(await oss.send({ method: 'POST', bucket: B, query: 'worm', body: initiateBody(1), auth: 'none' }), 403, 'AccessDenied');
    expectError(await oss.send({ method: 'GET', bucket: B, query: 'worm', auth: 'none' }), 403, 'AccessDenied');
  });

  it('an InProgress policy lapses 24 hours after it was made unless locked; a Locked one stays', async () => {
    const id = await initiate(1);
    const created = Date.parse((await getWorm()).CreationDate);
    setClock(created + DAY_MS - 1000);
    expect((await getWorm()).State).toBe('InProgress');
    setClock(created + DAY_MS);
    expectError(await oss.bucket('GET', B, 'worm'), 404, 'NoSuchWORMConfiguration');
    expectError(await oss.bucket('POST', B, `wormId=${id}`), 404, 'NoSuchWORMConfiguration');
    const locked = await lock(1);
    setClock(created + 4 * DAY_MS);
    expect((await getWorm()).WormId).toBe(locked);
  });

  it('kept across a restart', async () => {
    const KEPT = 'worm-kept';
    let id = '';
    await acrossRestart(
      [KEPT],
      async (client) => {
        await client.put(KEPT, 'kept.txt', 'x');
        const res = await client.bucket('POST', KEPT, 'worm', initiateBody(7));
        id = res.headers['x-oss-worm-id']!;
        expectEmptySuccess(await client.bucket('POST', KEPT, `wormId=${id}`));
      },
      async (client) => {
        const res = await client.bucket('GET', KEPT, 'worm');
        expect(res.text).toContain(`<WormId>${id}</WormId>`);
        expect(res.text).toContain('<State>Locked</State>');
        expectError(await client.delete(KEPT, 'kept.txt'), 409, 'FileImmutable');
      },
    );
  });
});

describe('what a policy in force refuses', () => {
  it.each(['InProgress', 'Locked'])('(%s) deleting or overwriting a protected object → 409 FileImmutable; new objects and reads are fine', async (state) => {
    await oss.put(B, 'kept.txt', 'original');
    if (state === 'Locked') await lock(1);
    else await initiate(1);
    expectImmutable(await oss.delete(B, 'kept.txt'), 'kept.txt');
    expectImmutable(await oss.put(B, 'kept.txt', 'changed'), 'kept.txt');
    expect((await oss.get(B, 'kept.txt')).text).toBe('original');
    expectEmptySuccess(await oss.put(B, 'new.txt', 'new'));
    // The new object is protected from the moment it is written.
    expectImmutable(await oss.delete(B, 'new.txt'), 'new.txt');
    // Deleting a key that does not exist is still 204.
    expectEmptySuccess(await oss.delete(B, 'absent.txt'), 204);
  });

  it('AppendObject: creating an appendable object works, appending to it is FileImmutable (OSS AppendObject limits), also right after appends the store remembers', async () => {
    await oss.append(B, 'before.log', 0, 'a');
    await oss.append(B, 'before.log', 1, 'b'); // remembered: the next append would be answered from memory
    await initiate(1);
    expectImmutable(await oss.append(B, 'before.log', 2, 'c'), 'before.log');
    expectEmptySuccess(await oss.append(B, 'during.log', 0, 'x'));
    expectImmutable(await oss.append(B, 'during.log', 1, 'y'), 'during.log');
    expect((await oss.get(B, 'before.log')).text).toBe('ab');
  });

  it('CopyObject, CompleteMultipartUpload, PostObject and PutSymlink onto a protected key → 409 FileImmutable; the object unchanged', async () => {
    await oss.put(B, 'kept.txt', 'original');
    await oss.put(B, 'source.txt', 'source');
    await lock(1);
    expectImmutable(await oss.send({ method: 'PUT', bucket: B, key: 'kept.txt', headers: { 'x-oss-copy-source': `/${B}/source.txt` } }), 'kept.txt');
    expectImmutable(await oss.multipartUpload(B, 'kept.txt', [Buffer.from('part')]), 'kept.txt');
    expectImmutable(await oss.send({ method: 'PUT', bucket: B, key: 'kept.txt', query: 'symlink', headers: { 'x-oss-symlink-target': 'source.txt' } }), 'kept.txt');
    const policy = Buffer.from(JSON.stringify({ expiration: new Date(Date.now() + 600_000).toISOString(), conditions: [{ bucket: B }] })).toString('base64');
    const form = new FormData();
    for (const [name, value] of [['key', 'kept.txt'], ['OSSAccessKeyId', emu.accessKeyId], ['policy', policy], ['Signature', postPolicySignatureV1(emu.accessKeySecret, policy)]]) form.append(name!, value!);
    form.append('file', new Blob(['posted']), 'kept.txt');
    const posted = await fetch(`http://127.0.0.1:${emu.port}/${B}`, { method: 'POST', body: form });
    expect(posted.status).toBe(409);
    expect(await posted.text()).toContain('<Code>FileImmutable</Code>');
    expect((await oss.get(B, 'kept.txt')).text).toBe('original');
  });

  it('[GUESS] DeleteMultipleObjects with one protected key → 409 FileImmutable, nothing deleted', async () => {
    await oss.put(B, 'old.txt', 'old');
    await lock(1);
    setClock(Date.now() + 2 * DAY_MS); // old.txt's protection is over
    await oss.put(B, 'young.txt', 'young');
    const body = '<Delete><Quiet>false</Quiet><Object><Key>old.txt</Key></Object><Object><Key>young.txt</Key></Object></Delete>';
    const res = await oss.send({ method: 'POST', bucket: B, query: 'delete', body, headers: { 'Content-MD5': md5Base64(body) } });
    expectError(res, 409, 'FileImmutable');
    expect((await oss.head(B, 'old.txt')).status).toBe(200);
    expect((await oss.head(B, 'young.txt')).status).toBe(200);
  });

  it('protection ends RetentionPeriodInDays after the last change: then the object can be deleted or overwritten', async () => {
    await oss.put(B, 'kept.txt', 'original');
    const written = Date.parse((await oss.head(B, 'kept.txt')).headers['last-modified']!);
    await lock(1);
    setClock(written + DAY_MS - 1000);
    expectImmutable(await oss.delete(B, 'kept.txt'), 'kept.txt');
    setClock(written + DAY_MS);
    expectEmptySuccess(await oss.put(B, 'kept.txt', 'rewritten'));
    // Rewritten: protected again from now.
    expectImmutable(await oss.delete(B, 'kept.txt'), 'kept.txt');
  });

  it('[GUESS] ACL and tags of a protected object can still be changed', async () => {
    await oss.put(B, 'kept.txt', 'original');
    await lock(1);
    expect((await oss.send({ method: 'PUT', bucket: B, key: 'kept.txt', query: 'acl', headers: { 'x-oss-object-acl': 'public-read' } })).status).toBe(200);
    expect((await oss.send({ method: 'PUT', bucket: B, key: 'kept.txt', query: 'tagging', body: '<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>' })).status).toBe(200);
  });

  it('after Abort nothing is protected', async () => {
    await oss.put(B, 'kept.txt', 'original');
    await initiate(1);
    expectEmptySuccess(await oss.bucket('DELETE', B, 'worm'), 204);
    expectEmptySuccess(await oss.delete(B, 'kept.txt'), 204);
  });
});

describe('appends racing a new policy, and seeding', () => {
  /** An append whose pre-check passes now, and whose body ends only once `during` has run. */
  function slowAppend(emu: RunningEmulator, key: string, position: number, body: string, during: () => Promise<void>): Promise<{ status: number; text: string }> {
    const headers = signV1({ method: 'POST', bucket: B, key, query: `append&position=${position}`, headers: { 'content-length': String(body.length) } });
    return new Promise((resolve, reject) => {
      const sent = request({ host: '127.0.0.1', port: emu.port, method: 'POST', path: `${objectPath(B, key)}?append&position=${position}`, headers }, (res) => {
        let text = '';
        res.on('data', (piece: Buffer) => (text += piece.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      sent.on('error', reject);
      sent.write(body.slice(0, 1));
      void sleep(100).then(during).then(() => sent.end(body.slice(1)), reject);
    });
  }

  it.each([['in memory', true], ['on disk (appends journaled and committed in batches)', false]] as const)(
    '%s: an append in flight when a policy is initiated is refused at its commit; the object keeps what it had',
    async (_label, inMemory) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ossemu-worm-'));
      const running = await startTestEmulator({ buckets: [B], inMemory, dataDir: inMemory ? undefined : dataDir });
      try {
        await running.oss.append(B, 'log', 0, 'a');
        await running.oss.append(B, 'log', 1, 'b'); // remembered: the next pre-check is answered from memory
        const res = await slowAppend(running.emu, 'log', 2, 'cd', async () => {
          expect((await running.oss.bucket('POST', B, 'worm', initiateBody(1))).status).toBe(200);
        });
        expect(res.status, res.text).toBe(409);
        expect(res.text).toContain('<Code>FileImmutable</Code>');
        expect((await running.oss.get(B, 'log')).text).toBe('ab');
      } finally {
        await running.emu.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );

  it('seeding ignores policies, as the admin reset does: a restart re-seeds a bucket under a policy; POST /_ossemu/seed rewrites a protected object', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ossemu-worm-'));
    const seedDir = mkdtempSync(join(tmpdir(), 'ossemu-worm-seed-'));
    mkdirSync(join(seedDir, 'seeded'));
    writeFileSync(join(seedDir, 'seeded', 'a.txt'), 'seeded');
    try {
      let running = await startTestEmulator({ inMemory: false, dataDir, seedDir });
      expect((await running.oss.bucket('POST', 'seeded', 'worm', initiateBody(1))).status).toBe(200);
      await running.emu.close();
      running = await startTestEmulator({ inMemory: false, dataDir, seedDir });
      try {
        expect((await running.oss.get('seeded', 'a.txt')).text).toBe('seeded');
        expectError(await running.oss.delete('seeded', 'a.txt'), 409, 'FileImmutable');
        const authorization = `Basic ${Buffer.from(`${running.emu.accessKeyId}:${running.emu.accessKeySecret}`).toString('base64')}`;
        const seeded = await fetch(`${running.emu.endpoint}/_ossemu/seed`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ buckets: [{ name: 'seeded', objects: [{ key: 'a.txt', content: 'again' }] }] }),
        });
        expect(seeded.status).toBe(200);
        expect((await running.oss.get('seeded', 'a.txt')).text).toBe('again');
      } finally {
        await running.emu.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(seedDir, { recursive: true, force: true });
    }
  });
});

describe('through ali-oss', () => {
  it('initiateBucketWorm, getBucketWorm, completeBucketWorm, extendBucketWorm; a locked policy refuses a delete', async () => {
    type WormClient = OSS & {
      initiateBucketWorm(name: string, days: string): Promise<{ wormId: string }>;
      getBucketWorm(name: string): Promise<{ wormId: string; state: string; days: string; creationDate: string }>;
      completeBucketWorm(name: string, wormId: string): Promise<unknown>;
      extendBucketWorm(name: string, wormId: string, days: string): Promise<unknown>;
    };
    const client = new OSS({ endpoint: `http://127.0.0.1:${emu.port}`, accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret, bucket: B }) as WormClient;
    await client.put('kept.txt', Buffer.from('x'));
    const { wormId } = await client.initiateBucketWorm(B, '1');
    expect(wormId).toMatch(/^[0-9A-F]{32}$/);
    expect(await client.getBucketWorm(B)).toMatchObject({ wormId, state: 'InProgress', days: '1' });
    await client.completeBucketWorm(B, wormId);
    await client.extendBucketWorm(B, wormId, '2');
    expect(await client.getBucketWorm(B)).toMatchObject({ state: 'Locked', days: '2' });
    const error = await client.delete('kept.txt').then(() => undefined, (e: unknown) => e as { code: string; status: number });
    expect(error).toMatchObject({ code: 'FileImmutable', status: 409 });
  });
});
