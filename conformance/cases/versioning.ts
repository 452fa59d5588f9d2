import { randomBytes } from 'node:crypto';
import type { OssClient, OssResponse } from '../../client/index.js';
import { assert, expectError, expectStatus } from '../expect.js';
import { sdkClient } from '../sdk.js';
import type { CaseContext, CaseDefinition } from '../types.js';

/**
 * Versioning, on a bucket of the case's own: enabling versioning cannot be undone, so these never
 * touch the run's bucket, and they run against OSS only with OSS_ALLOW_BUCKET_OPS=1. Each leaves
 * nothing behind: every version and delete marker is deleted, then the bucket.
 */

/** The calls of ali-oss these cases make, with the versionId option its typings leave out. */
interface VersionedSdk {
  put(name: string, body: Buffer): Promise<{ res: { headers: unknown } }>;
  get(name: string, options?: { versionId?: string }): Promise<{ content: Buffer }>;
  delete(name: string, options?: { versionId?: string }): Promise<unknown>;
  getBucketVersions(query: object): Promise<{ objects: Array<{ versionId: string }>; deleteMarker: Array<{ versionId: string }> }>;
}

const ENABLED = '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';

/** A new bucket with versioning Enabled, given to `body`, then emptied of every version and deleted. */
async function withVersionedBucket(t: CaseContext, body: (bucket: string) => Promise<void>): Promise<void> {
  if (!t.target.allowBucketOps) t.skip('enables versioning, which cannot be undone, so it runs on a bucket of its own: set OSS_ALLOW_BUCKET_OPS=1 to allow');
  const bucket = `ossemu-ver-${randomBytes(5).toString('hex')}`;
  try {
    expectStatus(await t.wire.putBucket(bucket), 200);
    expectStatus(await t.wire.putBucketConfiguration(bucket, 'versioning', ENABLED), 200);
    await body(bucket);
  } finally {
    await deleteEveryVersion(t.wire, bucket);
    await t.wire.deleteBucket(bucket);
  }
}

async function deleteEveryVersion(wire: OssClient, bucket: string): Promise<void> {
  for (let page = 0; page < 100; page++) {
    const listed = await wire.request({ method: 'GET', bucket, query: [['versions', null]] });
    const entries = versionEntries(listed);
    if (entries.length === 0) return;
    for (const { Key, VersionId } of entries) await wire.deleteObject(bucket, Key, { query: [['versionId', VersionId]] });
  }
}

/** ListObjectVersions' Version and DeleteMarker entries (in that order: the client's parser groups them by name). */
function versionEntries(res: OssResponse): Array<{ Key: string; VersionId: string; IsLatest: string }> {
  const result = (res.xml?.['ListVersionsResult'] ?? {}) as Record<string, unknown>;
  const list = (value: unknown): Array<{ Key: string; VersionId: string; IsLatest: string }> =>
    value === undefined ? [] : ((Array.isArray(value) ? value : [value]) as Array<{ Key: string; VersionId: string; IsLatest: string }>);
  return [...list(result['Version']), ...list(result['DeleteMarker'])];
}

export const VERSIONING_CASES: CaseDefinition[] = [
  {
    id: 'versioning.delete-marker',
    title: 'Versioning Enabled: each PutObject a new version, readable by its id; DeleteObject adds a delete marker (GET 404 saying so, the marker\'s id 405); deleting the marker brings the object back',
    confidence: 'validated',
    source:
      'GetObject and DeleteObject API references (delete-marker headers, 404 NoSuchKey, 405 MethodNotAllowed with Allow: DELETE); ' +
      'go1 oss/bucket_test.go TestVersioning*, ali-oss test/node/multiversion.test.js, java ObjectVersionTest (64-character ids)',
    runs: {
      wire: async (t) =>
        withVersionedBucket(t, async (bucket) => {
          const first = await t.wire.putObject(bucket, 'k', 'one');
          const second = await t.wire.putObject(bucket, 'k', 'two');
          const firstId = first.headers['x-oss-version-id'] ?? '';
          const secondId = second.headers['x-oss-version-id'] ?? '';
          assert.equal(firstId.length, 64, 'a version id has 64 characters');
          assert.notEqual(firstId, secondId);
          const old = await t.wire.getObject(bucket, 'k', { query: [['versionId', firstId]] });
          assert.equal(old.body.toString(), 'one');
          assert.equal(old.headers['x-oss-version-id'], firstId);
          const deleted = await t.wire.deleteObject(bucket, 'k');
          t.record('delete', deleted);
          expectStatus(deleted, 204);
          assert.equal(deleted.headers['x-oss-delete-marker'], 'true');
          const markerId = deleted.headers['x-oss-version-id'] ?? '';
          const absent = await t.wire.getObject(bucket, 'k');
          t.record('get-deleted', absent);
          expectError(absent, { status: 404, code: 'NoSuchKey' });
          assert.equal(absent.headers['x-oss-delete-marker'], 'true');
          assert.equal(absent.headers['x-oss-version-id'], markerId);
          const ofMarker = await t.wire.getObject(bucket, 'k', { query: [['versionId', markerId]] });
          t.record('get-marker', ofMarker);
          expectError(ofMarker, { status: 405, code: 'MethodNotAllowed' });
          assert.equal(ofMarker.headers['allow'], 'DELETE');
          const listed = versionEntries(await t.wire.request({ method: 'GET', bucket, query: [['versions', null]] }));
          assert.deepEqual(
            listed.map((e) => [e.VersionId, e.IsLatest]),
            [
              [secondId, 'false'],
              [firstId, 'false'],
              [markerId, 'true'],
            ],
          );
          const undone = await t.wire.deleteObject(bucket, 'k', { query: [['versionId', markerId]] });
          expectStatus(undone, 204);
          assert.equal(undone.headers['x-oss-delete-marker'], 'true');
          assert.equal((await t.wire.getObject(bucket, 'k')).body.toString(), 'two');
        }),
      'ali-oss': async (t) =>
        withVersionedBucket(t, async (bucket) => {
          const sdk = sdkClient(t.target, { bucket }) as unknown as VersionedSdk;
          const first = await sdk.put('k', Buffer.from('one'));
          await sdk.put('k', Buffer.from('two'));
          const firstId = (first.res.headers as Record<string, string>)['x-oss-version-id']!;
          const old = await sdk.get('k', { versionId: firstId });
          assert.equal(old.content.toString(), 'one');
          await sdk.delete('k');
          const versions = await sdk.getBucketVersions({});
          assert.equal(versions.objects.length, 2);
          assert.equal(versions.deleteMarker.length, 1);
          await sdk.delete('k', { versionId: versions.deleteMarker[0]!.versionId });
          assert.equal((await sdk.get('k')).content.toString(), 'two');
        }),
    },
  },
  {
    id: 'versioning.append',
    title: 'Versioning Enabled: appends make no new version; a PutObject leaves the appendable version behind (ObjectNotAppendable), and after a delete marker position 0 starts a new one',
    confidence: 'validated',
    source: 'AppendObject API reference, "Versioning"; go1 oss/bucket_test.go TestVersioningAppendObject (the id of a later append reads the whole object)',
    runs: {
      wire: async (t) =>
        withVersionedBucket(t, async (bucket) => {
          const created = await t.wire.appendObject(bucket, 'log', 0, 'abc');
          expectStatus(created, 200);
          const id = created.headers['x-oss-version-id'] ?? '';
          assert.equal(id.length, 64);
          const appended = await t.wire.appendObject(bucket, 'log', 3, 'def');
          t.record('append', appended);
          assert.equal(appended.headers['x-oss-version-id'], id);
          assert.equal((await t.wire.getObject(bucket, 'log', { query: [['versionId', id]] })).body.toString(), 'abcdef');
          expectStatus(await t.wire.putObject(bucket, 'log', 'normal'), 200);
          expectError(await t.wire.appendObject(bucket, 'log', 6, 'x'), { status: 409, code: 'ObjectNotAppendable' });
          const old = await t.wire.headObject(bucket, 'log', { query: [['versionId', id]] });
          assert.equal(old.headers['x-oss-object-type'], 'Appendable');
          expectStatus(await t.wire.deleteObject(bucket, 'log'), 204);
          const restarted = await t.wire.appendObject(bucket, 'log', 0, 'new');
          expectStatus(restarted, 200);
          assert.notEqual(restarted.headers['x-oss-version-id'], id);
          assert.equal((await t.wire.getObject(bucket, 'log')).body.toString(), 'new');
        }),
    },
  },
];
