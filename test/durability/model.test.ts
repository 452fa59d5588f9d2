/**
 * The emulator against a model of OSS's object rules, over generated sequences of operations
 * (fast-check's model-based testing): puts, appends at the right and at wrong positions, appends
 * racing at one position, seals, multipart uploads, symlinks, copies, deletes, ACL and tag changes, versioning
 * switched on and suspended, deletes of one version, resets and restarts, on a handful of keys so that they collide. After every step the emulator must answer as the model says: status and error
 * code, `x-oss-next-append-position`, the whole-object CRC-64, the object type and every byte, of the current object
 * and of every previous version and delete marker.
 *
 * Three ways of running it: on disk in this process, restarted cleanly; in memory; and on disk as
 * a child process (`bin/ossemu.js`) restarted by SIGKILL, right after appends whose answers came
 * while they were only in the journal. Every write first primes the record the store remembers
 * with a HEAD; a restart checks what SQLite and the journal give back. Bodies span the held-body
 * (64 KiB), WebAssembly-CRC (128 KiB) and small-file (1 MiB) boundaries.
 *
 * The seed is fixed so CI is repeatable; OSSEMU_MODEL_SEED and OSSEMU_MODEL_RUNS explore further.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, type RunningEmulator } from '../../emulator/index.js';
import { BATCH_INTERVAL_MS } from '../../emulator/store/commits.js';
import type { ObjectType } from '../../emulator/store/types.js';
import { crcOf, errorOf, OssClient, startTestEmulator, type OssResponse } from '../http/helpers.js';
import { startChildEmulator, type ChildEmulator } from '../support/child-emulator.js';

const B = 'model-bkt';
const SEED = Number(process.env['OSSEMU_MODEL_SEED'] ?? 20261202);
/** Sequences per mode (the crash mode runs a third as many: each crash restarts a process). */
const RUNS = Number(process.env['OSSEMU_MODEL_RUNS'] ?? 30);
const KEYS = ['a', 'b', 'dir/c'] as const;

interface ModelObject {
  type: ObjectType;
  /** A Symlink's is empty: it serves its target's. */
  content: Buffer;
  acl: string;
  tags: number;
  /** A Symlink's target key. */
  target?: string;
  /** An appendable object's `x-oss-sealed-time`, once SealAppendObject sealed it. */
  sealedTime?: string;
}
/** A version that is not its key's current object: a previous object, or a delete marker. */
interface ModelVersion {
  id: string;
  object?: ModelObject;
}
interface Model {
  /** Each key's current object. */
  objects: Map<string, ModelObject>;
  /** The bucket's versioning, once set. */
  versioning?: 'Enabled' | 'Suspended';
  /** The version id each current object's writer was answered with (none while the bucket was never versioned). */
  currentIds: Map<string, string | undefined>;
  /** Each key's previous versions and delete markers, newest first. */
  history: Map<string, ModelVersion[]>;
}

const newModel = (): Model => ({ objects: new Map(), currentIds: new Map(), history: new Map() });
const historyOf = (model: Readonly<Model>, key: string): ModelVersion[] => model.history.get(key) ?? [];

/**
 * A write (`next`) or a plain DeleteObject (`next` undefined) takes the key, as OSS's versioning
 * says: never versioned, the current object simply goes; Enabled, it becomes a previous version;
 * Suspended, it goes if it is version `null`, and the write or delete marker replaces any `null` version.
 */
function replaceCurrent(model: Model, key: string, next: ModelObject | undefined, res: OssResponse): void {
  const current = model.objects.get(key);
  const answeredId = res.headers['x-oss-version-id'];
  if (model.versioning === undefined) {
    expect(answeredId).toBeUndefined();
    if (next) model.objects.set(key, next);
    else model.objects.delete(key);
    model.currentIds.delete(key);
    return;
  }
  let history = historyOf(model, key);
  const currentId = model.currentIds.get(key) ?? 'null';
  if (model.versioning === 'Suspended') history = history.filter((version) => version.id !== 'null');
  if (current && !(model.versioning === 'Suspended' && currentId === 'null')) history = [{ id: currentId, object: current }, ...history];
  expect(answeredId).toMatch(model.versioning === 'Enabled' ? /^CAEQ[A-Za-z0-9._]{60}$/ : /^null$/);
  if (next) {
    model.objects.set(key, next);
    model.currentIds.set(key, answeredId);
  } else {
    expect(res.headers['x-oss-delete-marker']).toBe('true');
    model.objects.delete(key);
    model.currentIds.delete(key);
    history = [{ id: answeredId! }, ...history];
  }
  model.history.set(key, history);
}
/** The emulator under test, however it runs. */
interface Real {
  oss: OssClient;
  /** Stops the emulator, cleanly or by SIGKILL, and starts another on the same data. */
  restart(): Promise<void>;
  /** The admin reset. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const scratch = mkdtempSync(join(tmpdir(), 'ossemu-model-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;

/** In this process: on disk (a restart closes it cleanly, committing what was deferred) or in memory (no restart). */
async function inProcess(onDisk: boolean): Promise<Real> {
  const dataDir = join(scratch, `run-${folders++}`);
  const start = (): Promise<{ emu: RunningEmulator; oss: OssClient }> => startTestEmulator({ buckets: [B], inMemory: !onDisk, dataDir });
  let { emu, oss } = await start();
  const real: Real = {
    oss,
    async restart() {
      await emu.close();
      ({ emu, oss } = await start());
      real.oss = oss;
    },
    reset: async () => emu.reset(),
    close: () => emu.close(),
  };
  return real;
}

/** `bin/ossemu.js` as a child process on disk, restarted by SIGKILL: whatever it acknowledged must survive. */
async function crashingChild(): Promise<Real> {
  const dataDir = join(scratch, `run-${folders++}`);
  const start = async (): Promise<{ child: ChildEmulator; oss: OssClient }> => {
    const child = await startChildEmulator(['--data-dir', dataDir, '--buckets', B]);
    const port = Number(new URL(child.endpoint).port);
    // OssClient needs only where the emulator listens.
    return { child, oss: new OssClient({ endpoint: child.endpoint, port } as RunningEmulator) };
  };
  let { child, oss } = await start();
  const real: Real = {
    oss,
    async restart() {
      child.process.kill('SIGKILL');
      await child.exited;
      ({ child, oss } = await start());
      real.oss = oss;
    },
    async reset() {
      const authorization = `Basic ${Buffer.from(`${DEFAULT_ACCESS_KEY_ID}:${DEFAULT_ACCESS_KEY_SECRET}`).toString('base64')}`;
      expect((await fetch(`${child.endpoint}/_ossemu/reset`, { method: 'POST', headers: { authorization } })).status).toBe(200);
    },
    async close() {
      child.process.kill('SIGKILL');
      await child.exited;
    },
  };
  return real;
}

const expectCode = (res: OssResponse, status: number, code: string): void => {
  expect(res.status, res.text).toBe(status);
  expect(errorOf(res).Code).toBe(code);
};

/** The answer to an append the model says must be accepted or refused; updates the model when accepted. */
function checkAppend(model: Model, key: string, position: number, content: Buffer, res: OssResponse): void {
  const current = model.objects.get(key);
  const length = current?.content.length ?? 0;
  if (current !== undefined && current.type !== 'Appendable') return expectCode(res, 409, 'ObjectNotAppendable');
  if (current?.sealedTime !== undefined) return expectCode(res, 409, 'AppendSealedObjectNotAllowed');
  if (position !== length) {
    expectCode(res, 409, 'PositionNotEqualToLength');
    expect(res.headers['x-oss-next-append-position']).toBe(String(length));
    return;
  }
  expect(res.status, res.text).toBe(200);
  const whole = Buffer.concat([current?.content ?? Buffer.alloc(0), content]);
  expect(res.headers['x-oss-next-append-position']).toBe(String(whole.length));
  expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf(whole));
  const appended: ModelObject = { type: 'Appendable', content: whole, acl: current?.acl ?? 'default', tags: current?.tags ?? 0 };
  if (!current) return replaceCurrent(model, key, appended, res);
  // A later append makes no new version: it answers with the one the creating append made.
  expect(res.headers['x-oss-version-id']).toBe(model.currentIds.get(key));
  model.objects.set(key, appended);
}

class Put implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly content: Buffer,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await prime(real, this.key);
    const res = await real.oss.put(B, this.key, this.content);
    expect(res.status, res.text).toBe(200);
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf(this.content));
    replaceCurrent(model, this.key, { type: 'Normal', content: this.content, acl: 'default', tags: 0 }, res);
    await verify(model, real, this.key);
  }
  toString = (): string => `put(${this.key}, ${this.content.length} B)`;
}

class Append implements fc.AsyncCommand<Model, Real> {
  /** `offset` from the object's length: 0 is the right position. */
  constructor(
    readonly key: string,
    readonly offset: number,
    readonly content: Buffer,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await prime(real, this.key);
    const position = Math.max(0, (model.objects.get(this.key)?.content.length ?? 0) + this.offset);
    checkAppend(model, this.key, position, this.content, await real.oss.append(B, this.key, position, this.content));
    await verify(model, real, this.key);
  }
  toString = (): string => `append(${this.key}, length${this.offset >= 0 ? '+' : ''}${this.offset}, ${this.content.length} B)`;
}

/** Whether appends to `key` can succeed: it is absent, or appendable and not sealed. */
const appendable = (model: Readonly<Model>, key: string): boolean => {
  const object = model.objects.get(key);
  return object === undefined || (object.type === 'Appendable' && object.sealedTime === undefined);
};

/** SealAppendObject at the object's length plus `offset`: only an appendable object at its exact length is sealed. */
class Seal implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly offset: number,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await prime(real, this.key);
    const current = model.objects.get(this.key);
    const length = current?.content.length ?? 0;
    const position = Math.max(0, length + this.offset);
    const res = await real.oss.send({ method: 'POST', bucket: B, key: this.key, query: `seal&position=${position}` });
    if (!current) expectCode(res, 404, 'NoSuchKey');
    else if (current.type !== 'Appendable') expectCode(res, 409, 'AppendSealedObjectNotAllowed');
    else if (position !== length) {
      expectCode(res, 409, 'PositionNotEqualToLength');
      expect(res.headers['x-oss-next-append-position']).toBe(String(length));
    } else {
      expect(res.status, res.text).toBe(200);
      // Sealing again keeps the first time.
      current.sealedTime ??= res.headers['x-oss-sealed-time'];
      expect(res.headers['x-oss-sealed-time']).toBe(current.sealedTime);
    }
    await verify(model, real, this.key);
  }
  toString = (): string => `seal(${this.key}, length${this.offset >= 0 ? '+' : ''}${this.offset})`;
}

/** Appenders racing at the object's current length: exactly one wins, the rest learn the new length. */
class RacingAppends implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly contents: Buffer[],
  ) {}
  check = (model: Readonly<Model>): boolean => appendable(model, this.key);
  async run(model: Model, real: Real): Promise<void> {
    await prime(real, this.key);
    const position = model.objects.get(this.key)?.content.length ?? 0;
    const answers = await Promise.all(this.contents.map((content) => real.oss.append(B, this.key, position, content)));
    const winners = answers.map((res, i) => [res, i] as const).filter(([res]) => res.status === 200);
    expect(winners.length, answers.map((r) => r.status).join(',')).toBe(1);
    const [winner, index] = winners[0]!;
    checkAppend(model, this.key, position, this.contents[index]!, winner);
    const length = String(model.objects.get(this.key)!.content.length);
    for (const res of answers.filter((r) => r !== winner)) {
      expectCode(res, 409, 'PositionNotEqualToLength');
      expect(res.headers['x-oss-next-append-position']).toBe(length);
    }
    await verify(model, real, this.key);
  }
  toString = (): string => `race(${this.key}, ${this.contents.map((c) => c.length).join('/')} B)`;
}

/** A whole multipart upload (Initiate, parts, Complete): the key becomes a Multipart object, never appendable. */
class Multipart implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly parts: Buffer[],
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await prime(real, this.key);
    const res = await real.oss.multipartUpload(B, this.key, this.parts);
    expect(res.status, res.text).toBe(200);
    const content = Buffer.concat(this.parts);
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf(content));
    replaceCurrent(model, this.key, { type: 'Multipart', content, acl: 'default', tags: 0 }, res);
    await verify(model, real, this.key);
  }
  toString = (): string => `multipart(${this.key}, ${this.parts.map((p) => p.length).join('/')} B)`;
}

/** PutSymlink: the key becomes a link to `target`, which may be missing, a link, or the key itself. */
class Link implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly target: string,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await prime(real, this.key);
    const res = await real.oss.send({ method: 'PUT', bucket: B, key: this.key, query: 'symlink', headers: { 'x-oss-symlink-target': encodeURIComponent(this.target) } });
    expect(res.status, res.text).toBe(200);
    replaceCurrent(model, this.key, { type: 'Symlink', content: Buffer.alloc(0), acl: 'default', tags: 0, target: this.target }, res);
    await verify(model, real, this.key);
  }
  toString = (): string => `link(${this.key} → ${this.target})`;
}

class Copy implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await prime(real, this.to);
    const res = await real.oss.send({ method: 'PUT', bucket: B, key: this.to, headers: { 'x-oss-copy-source': `/${B}/${encodeURIComponent(this.from)}` } });
    const source = model.objects.get(this.from);
    if (!source) return expectCode(res, 404, 'NoSuchKey');
    // OSS's CopyObject page: no copy of an appendable object into a bucket with versioning Enabled.
    if (source.type === 'Appendable' && model.versioning === 'Enabled') return expectCode(res, 400, 'InvalidArgument');
    expect(res.status, res.text).toBe(200);
    // Onto itself an object keeps its type, ACL and seal; elsewhere the copy is Normal, with the default ACL. Tags are copied.
    // A link is copied as a link to the same key.
    const onItself = this.from === this.to;
    const type = onItself || source.type === 'Symlink' ? source.type : 'Normal';
    replaceCurrent(model, this.to, {
      type,
      content: source.content,
      acl: onItself ? source.acl : 'default',
      tags: source.tags,
      ...(source.target !== undefined ? { target: source.target } : {}),
      ...(onItself && source.sealedTime !== undefined ? { sealedTime: source.sealedTime } : {}),
    }, res);
    await verify(model, real, this.to);
  }
  toString = (): string => `copy(${this.from} → ${this.to})`;
}

class Delete implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: string) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await prime(real, this.key);
    const res = await real.oss.delete(B, this.key);
    expect(res.status).toBe(204);
    if (model.objects.has(this.key) || model.versioning !== undefined) replaceCurrent(model, this.key, undefined, res);
    await verify(model, real, this.key);
  }
  toString = (): string => `delete(${this.key})`;
}

/** PutBucketVersioning: Enabled or Suspended (never back to unset). */
class SetVersioning implements fc.AsyncCommand<Model, Real> {
  constructor(readonly status: 'Enabled' | 'Suspended') {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const body = `<VersioningConfiguration><Status>${this.status}</Status></VersioningConfiguration>`;
    const res = await real.oss.bucket('PUT', B, 'versioning', body);
    expect(res.status, res.text).toBe(200);
    model.versioning = this.status;
  }
  toString = (): string => `versioning(${this.status})`;
}

/**
 * DeleteObject of one version, picked among the key's current object and its previous versions
 * and delete markers (or an id it never had): gone for good; when the newest goes, the next newest
 * object version becomes current (a delete marker leaves the key reading as deleted).
 */
class DeleteVersion implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly pick: number,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await prime(real, this.key);
    const current = model.objects.get(this.key);
    const currentId = model.currentIds.get(this.key) ?? 'null';
    const history = historyOf(model, this.key);
    const choices = [...(current ? [currentId] : []), ...history.map((version) => version.id)];
    const id = choices.length === 0 ? 'CAEQ'.padEnd(64, 'N') : choices[this.pick % choices.length]!;
    const res = await real.oss.delete(B, this.key, `versionId=${id}`);
    expect(res.status, res.text).toBe(204);
    const deleted = current && id === currentId ? undefined : history.find((version) => version.id === id);
    expect(res.headers['x-oss-delete-marker']).toBe(deleted && !deleted.object ? 'true' : undefined);
    if (current && id === currentId) {
      model.objects.delete(this.key);
      model.currentIds.delete(this.key);
    }
    const rest = history.filter((version) => version !== deleted);
    const newest = rest[0];
    if (!model.objects.has(this.key) && newest?.object) {
      model.objects.set(this.key, newest.object);
      model.currentIds.set(this.key, newest.id);
      rest.shift();
    }
    model.history.set(this.key, rest);
    await verify(model, real, this.key);
  }
  toString = (): string => `delete-version(${this.key}, #${this.pick})`;
}

/** A write that changes an existing object (its ACL, its tags): NoSuchKey when there is none. */
async function changeExisting(model: Model, real: Real, key: string, write: () => Promise<OssResponse>, change: (object: ModelObject) => void): Promise<void> {
  await prime(real, key);
  const res = await write();
  const current = model.objects.get(key);
  if (!current) return expectCode(res, 404, 'NoSuchKey');
  expect(res.status, res.text).toBe(200);
  change(current);
  await verify(model, real, key);
}

class SetAcl implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly acl: string,
  ) {}
  check = (): boolean => true;
  run(model: Model, real: Real): Promise<void> {
    const write = (): Promise<OssResponse> => real.oss.send({ method: 'PUT', bucket: B, key: this.key, query: 'acl', headers: { 'x-oss-object-acl': this.acl } });
    return changeExisting(model, real, this.key, write, (object) => (object.acl = this.acl));
  }
  toString = (): string => `acl(${this.key}, ${this.acl})`;
}

class SetTags implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly count: number,
  ) {}
  check = (): boolean => true;
  run(model: Model, real: Real): Promise<void> {
    const tags = Array.from({ length: this.count }, (_, i) => `<Tag><Key>t${i}</Key><Value>v</Value></Tag>`).join('');
    const write = (): Promise<OssResponse> => real.oss.send({ method: 'PUT', bucket: B, key: this.key, query: 'tagging', body: `<Tagging><TagSet>${tags}</TagSet></Tagging>` });
    return changeExisting(model, real, this.key, write, (object) => (object.tags = this.count));
  }
  toString = (): string => `tags(${this.key}, ${this.count})`;
}

/** The admin reset: every object gone, the configured bucket back empty. */
class Reset implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    for (const key of KEYS) await prime(real, key);
    await real.reset();
    Object.assign(model, newModel());
    delete model.versioning; // the bucket is made anew
    for (const key of KEYS) await verify(model, real, key);
  }
  toString = (): string => 'reset';
}

/**
 * A HEAD before a write: the store then remembers the object's record (outside a batch of deferred
 * appends), which the write must make it forget.
 */
async function prime(real: Real, key: string): Promise<void> {
  expect((await real.oss.head(B, key)).status).not.toBe(500);
}

/** HEAD, GET and the ACL of a key as the model has it, twice over (the second from what the store remembers). */
async function verify(model: Model, real: Real, key: string): Promise<void> {
  const expected = model.objects.get(key);
  for (let round = 0; round < 2; round++) {
    const head = await real.oss.head(B, key);
    const get = await real.oss.get(B, key);
    if (!expected) {
      expectCode(head, 404, 'NoSuchKey');
      expectCode(get, 404, 'NoSuchKey');
      continue;
    }
    // Through a link: its target's bytes, or the error of a missing target or a link to a link.
    const target = expected.type === 'Symlink' ? model.objects.get(expected.target!) : undefined;
    if (expected.type === 'Symlink' && target?.type !== 'Normal' && target?.type !== 'Appendable' && target?.type !== 'Multipart') {
      const [status, code] = target ? [400, 'InvalidTargetType'] : [404, 'SymlinkTargetNotExist'];
      expectCode(head, status, code);
      expectCode(get, status, code);
      continue;
    }
    const content = target?.content ?? expected.content;
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(content.length));
    expect(head.headers['x-oss-object-type']).toBe(expected.type);
    expect(head.headers['x-oss-hash-crc64ecma']).toBe(crcOf(content));
    expect(head.headers['x-oss-next-append-position']).toBe(expected.type === 'Appendable' ? String(expected.content.length) : undefined);
    expect(head.headers['x-oss-tagging-count']).toBe(expected.tags > 0 ? String(expected.tags) : undefined);
    if (expected.type !== 'Symlink') expect(head.headers['x-oss-sealed-time']).toBe(expected.sealedTime);
    expect(get.status).toBe(200);
    expect(get.body.equals(content), `${key}: ${get.body.length} bytes read, ${content.length} expected`).toBe(true);
    expect(get.headers['etag']).toBe(head.headers['etag']);
    // An object from before versioning is version null once the bucket is versioned.
    expect(head.headers['x-oss-version-id']).toBe(model.currentIds.get(key) ?? (model.versioning ? 'null' : undefined));
    const acl = await real.oss.send({ method: 'GET', bucket: B, key, query: 'acl' });
    expect(acl.text).toContain(`<Grant>${expected.acl}</Grant>`);
  }
  await verifyHistory(model, real, key);
}

/** Every previous version and delete marker of a key, read by its id, and ListObjectVersions' list of the key. */
async function verifyHistory(model: Model, real: Real, key: string): Promise<void> {
  const history = historyOf(model, key);
  for (const version of history) {
    // A link's version is read as the link (GetSymlink): through it, a GET reads whatever its target is now.
    const res = await real.oss.get(B, key, {}, `${version.object?.type === 'Symlink' ? 'symlink&' : ''}versionId=${version.id}`);
    if (!version.object) {
      expectCode(res, 405, 'MethodNotAllowed');
      continue;
    }
    expect(res.status, res.text).toBe(200);
    if (version.object.type === 'Symlink') expect(res.headers['x-oss-symlink-target']).toBe(encodeURIComponent(version.object.target!));
    else expect(res.body.equals(version.object.content), `${key} version ${version.id}: ${res.body.length} bytes read`).toBe(true);
  }
  const listed = await real.oss.bucket('GET', B, `versions&prefix=${encodeURIComponent(key)}`);
  const ids = [...listed.text.matchAll(/<Key>([^<]*)<\/Key>\s*<VersionId>([^<]*)<\/VersionId>/g)].filter((m) => m[1] === key).map((m) => m[2]);
  const current = model.objects.has(key) ? [model.currentIds.get(key) ?? 'null'] : [];
  expect(ids).toEqual([...current, ...history.map((version) => version.id)]);
}

/**
 * A pause past the deferred appends' batch interval: the batch commits, so the reads and writes
 * after it meet the store outside any transaction (where it answers from the records it remembers).
 */
class Settle implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, BATCH_INTERVAL_MS + 5));
  }
  toString = (): string => 'settle';
}

/** Stops the emulator (cleanly, or by SIGKILL in the crash mode) and starts another on the same folder. */
class Restart implements fc.AsyncCommand<Model, Real> {
  /** Only where the objects outlive the process; fast-check calls `check` with the model only, so every mode says it here. */
  constructor(readonly persistent: boolean) {}
  check = (): boolean => this.persistent;
  async run(_model: Model, real: Real): Promise<void> {
    await real.restart();
  }
  toString = (): string => 'restart';
}

/**
 * Two appends, and the restart at once after the second's answer. The first makes the store
 * remember the object, so the second takes the common path: on disk it is then only in the journal
 * (SQLite commits appends in batches, up to 10 ms later), and a SIGKILL here is the crash that
 * must not lose it.
 */
class AppendsThenRestart implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly contents: readonly [Buffer, Buffer],
    readonly persistent: boolean,
  ) {}
  check = (model: Readonly<Model>): boolean => this.persistent && appendable(model, this.key);
  async run(model: Model, real: Real): Promise<void> {
    for (const content of this.contents) {
      const position = model.objects.get(this.key)?.content.length ?? 0;
      checkAppend(model, this.key, position, content, await real.oss.append(B, this.key, position, content));
    }
    await real.restart();
    await verify(model, real, this.key);
  }
  toString = (): string => `appends-then-restart(${this.key}, ${this.contents.map((c) => c.length).join('/')} B)`;
}

const key = fc.constantFrom(...KEYS);
/** Mostly small; sometimes past 64 KiB (not held back), 128 KiB (WebAssembly CRC) or 1 MiB (large-body files). */
const content = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 8 },
  { arbitrary: fc.constantFrom(64 * 1024 + 1, 130 * 1024, 1024 * 1024 + 7), weight: 1 },
).map((bytesOrSize) => (typeof bytesOrSize === 'number' ? Buffer.alloc(bytesOrSize, bytesOrSize % 251) : Buffer.from(bytesOrSize)));
const offset = fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.integer({ min: -5, max: 5 }), weight: 2 }, { arbitrary: fc.constant(-1e9), weight: 1 });

const commands = (persistent: boolean): Array<fc.Arbitrary<fc.AsyncCommand<Model, Real>>> => [
  fc.tuple(key, content).map(([k, c]) => new Put(k, c)),
  fc.tuple(key, offset, content).map(([k, o, c]) => new Append(k, o, c)),
  fc.tuple(key, offset, content).map(([k, o, c]) => new Append(k, o, c)),
  fc.tuple(key, fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { minLength: 2, maxLength: 6 })).map(([k, cs]) => new RacingAppends(k, cs.map((c) => Buffer.from(c)))),
  fc.tuple(key, offset).map(([k, o]) => new Seal(k, o)),
  fc.tuple(key, key).map(([f, t]) => new Copy(f, t)),
  fc.tuple(key, fc.constantFrom(...KEYS, 'missing')).map(([k, t]) => new Link(k, t)),
  // Parts before the last must be 100 KiB or more.
  fc.tuple(key, fc.integer({ min: 0, max: 2 }), content).map(([k, full, last]) => new Multipart(k, [...Array.from({ length: full }, (_, i) => Buffer.alloc(100 * 1024, i + 1)), last])),
  key.map((k) => new Delete(k)),
  fc.tuple(key, fc.constantFrom('private', 'public-read', 'public-read-write', 'default')).map(([k, a]) => new SetAcl(k, a)),
  fc.tuple(key, fc.integer({ min: 0, max: 3 })).map(([k, n]) => new SetTags(k, n)),
  fc.constant(new Settle()),
  fc.constant(new Settle()),
  fc.constant(new Restart(persistent)),
  fc.tuple(key, content, content).map(([k, first, second]) => new AppendsThenRestart(k, [first, second], persistent)),
  fc.constant(new Reset()),
  fc.constantFrom('Enabled' as const, 'Enabled' as const, 'Suspended' as const).map((status) => new SetVersioning(status)),
  fc.tuple(key, fc.nat()).map(([k, pick]) => new DeleteVersion(k, pick)),
  fc.tuple(key, fc.nat()).map(([k, pick]) => new DeleteVersion(k, pick)),
];

/** How the emulator runs, whether its objects outlive a restart, and how many sequences it gets. */
const MODES: ReadonlyArray<readonly [name: string, start: () => Promise<Real>, persistent: boolean, runs: number]> = [
  ['on disk, restarted cleanly', () => inProcess(true), true, RUNS],
  ['in memory', () => inProcess(false), false, RUNS],
  ['on disk in a child process, restarted by SIGKILL', crashingChild, true, Math.ceil(RUNS / 3)],
];

describe.each(MODES)('the emulator (%s) against a model of the object rules', (_name, start, persistent, runs) => {
  it(`agrees over ${runs} generated sequences of operations, seed ${SEED}`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands(persistent), { maxCommands: 25 }), async (sequence) => {
        const real = await start();
        const model = newModel();
        try {
          await fc.asyncModelRun(() => ({ model, real }), sequence);
          // Whatever the sequence left survives one more restart, byte for byte.
          if (persistent) await real.restart();
          for (const k of KEYS) await verify(model, real, k);
        } finally {
          await real.close();
        }
      }),
      { seed: SEED, numRuns: runs },
    );
  }, 300_000);
});
