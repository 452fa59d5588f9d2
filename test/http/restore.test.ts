/**
 * Frozen objects (Archive, ColdArchive, DeepColdArchive) and RestoreObject: GetObject is refused
 * until a restore has made a copy readable; HEAD works throughout and reports the restore in
 * x-oss-restore; listings carry it as <RestoreInfo>. Here a restore takes `restoreDelayMs`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { expectEmptySuccess, expectError, startTestEmulator, type OssClient } from './helpers.js';

const B = 'restore-bkt';
// Two emulators rather than sleeps: one whose restores finish at once, one whose restores are
// still running for the whole test (as a real Archive restore is for a minute).
let emu: RunningEmulator;
let oss: OssClient;
let slowEmu: RunningEmulator;
let slow: OssClient;

beforeAll(async () => {
  ({ emu, oss } = await startTestEmulator({ buckets: [B], restoreDelayMs: 0 }));
  ({ emu: slowEmu, oss: slow } = await startTestEmulator({ buckets: [B], restoreDelayMs: 600_000 }));
});
afterAll(async () => {
  await emu.close();
  await slowEmu.close();
});
beforeEach(() => {
  emu.reset();
  slowEmu.reset();
});

const restoreWith = (client: OssClient, key: string, body?: string): ReturnType<OssClient['send']> =>
  client.send({ method: 'POST', bucket: B, key, query: 'restore', body: body ?? '' });
const restore = (key: string, body?: string): ReturnType<OssClient['send']> => restoreWith(oss, key, body);
const putFrozen = (key: string, storageClass = 'Archive'): ReturnType<OssClient['put']> =>
  oss.put(B, key, 'frozen bytes', { 'x-oss-storage-class': storageClass });

describe('reading a frozen object', () => {
  it.each(['Archive', 'ColdArchive', 'DeepColdArchive'])(
    '%s: GET (with or without Range) → 403 InvalidObjectState; HEAD and GetObjectMeta → 200 without x-oss-restore',
    async (storageClass) => {
      await putFrozen('f', storageClass);
      const error = expectError(await oss.get(B, 'f'), 403, 'InvalidObjectState', { message: "The operation is not valid for the object's state" });
      expect(error['Key']).toBe('f');
      expectError(await oss.get(B, 'f', { Range: 'bytes=0-1' }), 403, 'InvalidObjectState');
      const head = await oss.head(B, 'f');
      expect(head.status).toBe(200);
      expect(head.headers['x-oss-storage-class']).toBe(storageClass);
      expect(head.headers['x-oss-restore']).toBeUndefined();
      expect((await oss.send({ method: 'HEAD', bucket: B, key: 'f', query: 'objectMeta' })).status).toBe(200);
    },
  );

  it('Standard and IA objects read as usual', async () => {
    await oss.put(B, 'ia', 'warm', { 'x-oss-storage-class': 'IA' });
    expect((await oss.get(B, 'ia')).text).toBe('warm');
  });
});

describe('RestoreObject', () => {
  it('202, then 409 RestoreAlreadyInProgress while it runs: x-oss-restore: ongoing-request="true", GET still 403', async () => {
    await slow.put(B, 'r', 'frozen bytes', { 'x-oss-storage-class': 'Archive' });
    expectEmptySuccess(await restoreWith(slow, 'r'), 202);
    expectError(await restoreWith(slow, 'r'), 409, 'RestoreAlreadyInProgress', { ec: '0016-00000701', message: 'The restore operation is in progress.' });
    expect((await slow.head(B, 'r')).headers['x-oss-restore']).toBe('ongoing-request="true"');
    expectError(await slow.get(B, 'r'), 403, 'InvalidObjectState');
    for (const query of [undefined, 'list-type=2']) {
      expect((await slow.bucket('GET', B, query)).text).toContain('<RestoreInfo>ongoing-request="true"</RestoreInfo>');
    }
  });

  it('once done: readable, x-oss-restore gives the expiry on HEAD and GET, a repeat is 200', async () => {
    await putFrozen('r');
    expectEmptySuccess(await restore('r'), 202);
    const head = await oss.head(B, 'r');
    expect(head.headers['x-oss-restore']).toMatch(/^ongoing-request="false", expiry-date="\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT"$/);
    const get = await oss.get(B, 'r');
    expect(get.text).toBe('frozen bytes');
    expect(get.headers['x-oss-restore']).toBe(head.headers['x-oss-restore']);
    expect((await oss.bucket('GET', B)).text).toContain(`<RestoreInfo>${head.headers['x-oss-restore']}</RestoreInfo>`);
    expectEmptySuccess(await restore('r'), 200);
  });

  it('CopyObject of a restored object: onto itself (SetObjectMeta) it stays Archive and restored; to another key the copy is Archive and frozen', async () => {
    await putFrozen('r');
    expectEmptySuccess(await restore('r'), 202);
    const restored = (await oss.head(B, 'r')).headers['x-oss-restore'];
    const copy = (to: string, headers: Record<string, string>) => oss.send({ method: 'PUT', bucket: B, key: to, headers: { 'x-oss-copy-source': `/${B}/r`, ...headers } });
    expect((await copy('r', { 'x-oss-metadata-directive': 'REPLACE', 'x-oss-meta-note': 'relabelled' })).status).toBe(200);
    const head = await oss.head(B, 'r');
    expect(head.headers['x-oss-storage-class']).toBe('Archive');
    expect(head.headers['x-oss-meta-note']).toBe('relabelled');
    expect(head.headers['x-oss-restore']).toBe(restored);
    expect((await oss.get(B, 'r')).text).toBe('frozen bytes');

    expect((await copy('other', {})).status).toBe(200);
    expect((await oss.head(B, 'other')).headers['x-oss-storage-class']).toBe('Archive');
    expect((await oss.head(B, 'other')).headers['x-oss-restore']).toBeUndefined();
    expectError(await oss.get(B, 'other'), 403, 'InvalidObjectState');
  });

  it('the copy is kept Days days (default 1), and a repeat with more Days pushes the expiry out', async () => {
    await putFrozen('d');
    const before = Date.now();
    expectEmptySuccess(await restore('d', '<RestoreRequest><Days>3</Days></RestoreRequest>'), 202);
    const expiry = async (): Promise<number> => {
      const header = (await oss.head(B, 'd')).headers['x-oss-restore'] ?? '';
      return Date.parse(/expiry-date="([^"]+)"/.exec(header)?.[1] ?? '');
    };
    expect((await expiry()) - before).toBeGreaterThan(3 * 86400_000 - 5_000);
    expect((await expiry()) - before).toBeLessThan(3 * 86400_000 + 5_000);
    expectEmptySuccess(await restore('d', '<RestoreRequest><Days>7</Days></RestoreRequest>'), 200);
    expect((await expiry()) - before).toBeGreaterThan(7 * 86400_000 - 5_000);
  });

  it('listings carry no <RestoreInfo> before a restore was asked for', async () => {
    await putFrozen('l');
    expect((await oss.bucket('GET', B)).text).not.toContain('RestoreInfo');
  });

  it('rewriting the object forgets the restore: the new object is frozen again', async () => {
    await putFrozen('w');
    await restore('w');
    expect((await oss.get(B, 'w')).status).toBe(200);
    await putFrozen('w');
    expectError(await oss.get(B, 'w'), 403, 'InvalidObjectState');
    expect((await oss.head(B, 'w')).headers['x-oss-restore']).toBeUndefined();
  });

  it('ColdArchive takes a Tier (default Standard) and answers it in x-oss-restore-priority; Archive refuses one (MalformedXML)', async () => {
    await putFrozen('cold', 'ColdArchive');
    const res = await restore('cold', '<RestoreRequest><Days>30</Days><JobParameters><Tier>Bulk</Tier></JobParameters></RestoreRequest>');
    expectEmptySuccess(res, 202);
    expect(res.headers['x-oss-object-restore-priority']).toBe('Bulk');
    await putFrozen('cold-default', 'ColdArchive');
    expect((await restore('cold-default')).headers['x-oss-object-restore-priority']).toBe('Standard');
    await putFrozen('archive');
    expectError(await restore('archive', '<RestoreRequest><Days>1</Days><JobParameters><Tier>Standard</Tier></JobParameters></RestoreRequest>'), 400, 'MalformedXML');
  });

  it('bad Days, Tier or body → 400 with the documented EC; nothing starts', async () => {
    await putFrozen('bad');
    expectError(await restore('bad', '<RestoreRequest><Days>8</Days></RestoreRequest>'), 400, 'InvalidArgument', { ec: '0016-00000708' });
    expectError(await restore('bad', '<RestoreRequest><Days>0</Days></RestoreRequest>'), 400, 'InvalidArgument', { ec: '0016-00000708' });
    expectError(await restore('bad', '<RestoreRequest><Days>x</Days></RestoreRequest>'), 400, 'InvalidArgument', { ec: '0016-00000708' });
    expectError(await restore('bad', '<RestoreRequest><Months>1</Months></RestoreRequest>'), 400, 'MalformedXML', { ec: '0016-00000714' });
    expectError(await restore('bad', '<RestoreRequest>'), 400, 'MalformedXML');
    await putFrozen('bad-cold', 'DeepColdArchive');
    expectError(await restore('bad-cold', '<RestoreRequest><Days>366</Days></RestoreRequest>'), 400, 'InvalidArgument', { ec: '0016-00000704' });
    expectError(await restore('bad-cold', '<RestoreRequest><Days>1</Days><JobParameters><Tier>Bulk</Tier></JobParameters></RestoreRequest>'), 400, 'InvalidArgument', { ec: '0016-00000703' });
    expect((await oss.head(B, 'bad')).headers['x-oss-restore']).toBeUndefined();
    expect((await oss.head(B, 'bad-cold')).headers['x-oss-restore']).toBeUndefined();
  });

  it('a Standard or IA object → 400 OperationNotSupported (EC 0016-00000702); a missing key → 404 NoSuchKey', async () => {
    await oss.put(B, 'standard', 'x');
    const error = expectError(await restore('standard'), 400, 'OperationNotSupported', { ec: '0016-00000702', message: 'The operation is not supported for this resource' });
    expect(error['Detail']).toBe('RestoreObject operation does not support this object storage class');
    expectError(await restore('missing'), 404, 'NoSuchKey');
  });
});
