import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { OssError } from './errors/oss-error.js';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { bucketDefaults, readObjectAttributes } from './http/object-input.js';
import { validateTarget } from './http/validate.js';
import { MAX_PUT_SIZE } from './ops/object.js';
import { BUCKET_ACLS } from './ops/bucket.js';
import { commitStaged, ingestBody } from './store/ingest.js';
import type { Store } from './store/store.js';
import type { BucketAcl, ObjectAcl } from './store/types.js';
import { md5ToEtag } from './util/etag.js';
import { toSecond } from './util/http-date.js';

/** Per-object settings, in a seed document or a `<file>.ossemu.json` sidecar. */
export interface SeedObjectSettings {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  expires?: string;
  meta?: Record<string, string>;
  tags?: Record<string, string>;
  acl?: ObjectAcl;
}

export interface SeedObject extends SeedObjectSettings {
  key: string;
  /** UTF-8 text content. */
  content?: string;
  /** Binary content, base64. */
  contentBase64?: string;
}

/** What POST /_ossemu/seed takes as JSON. */
export interface SeedDocument {
  buckets: Array<{ name: string; acl?: BucketAcl; objects?: SeedObject[] }>;
}

export interface SeedResult {
  buckets: number;
  objects: number;
}

/** A file next to a seeded file, `<name>.ossemu.json`, holds that object's settings. */
export const SIDECAR_SUFFIX = '.ossemu.json';

export class SeedError extends Error {}

/**
 * Creates the document's buckets (if missing) and objects (replacing any at the same keys). The
 * whole document is checked before anything is written, so a bad one changes nothing.
 */
export async function seedFromDocument(store: Store, doc: SeedDocument): Promise<SeedResult> {
  const malformed = !doc || !Array.isArray(doc.buckets) || doc.buckets.some((b) => typeof b?.name !== 'string' || (b.objects !== undefined && !Array.isArray(b.objects)));
  if (malformed) throw new SeedError('a seed document is { "buckets": [{ "name": …, "objects": [{ "key": …, "content": … }] }] }');
  for (const bucket of doc.buckets) {
    checkBucket(bucket.name, bucket.acl);
    for (const [i, object] of (bucket.objects ?? []).entries()) checkSeedObject(object, `bucket ${bucket.name}, object ${i}`, bucket.name);
  }
  const result: SeedResult = { buckets: 0, objects: 0 };
  for (const bucket of doc.buckets) {
    ensureBucket(store, bucket.name, bucket.acl);
    result.buckets++;
    for (const object of bucket.objects ?? []) {
      const bytes = object.contentBase64 !== undefined ? Buffer.from(object.contentBase64, 'base64') : Buffer.from(object.content ?? '', 'utf8');
      await writeObject(store, bucket.name, object.key, Readable.from([bytes]), object);
      result.objects++;
    }
  }
  return result;
}

/**
 * Seeds from a folder: each sub-folder becomes a bucket named after it, each file below it (at any
 * depth) an object whose key is its relative path with `/` separators.
 */
export async function seedFromDirectory(store: Store, dir: string): Promise<SeedResult> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SeedError(`seed folder ${dir} does not exist`);
  const result: SeedResult = { buckets: 0, objects: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const bucketDir = join(dir, entry.name);
    ensureBucket(store, entry.name, undefined);
    result.buckets++;
    for (const file of listFiles(bucketDir)) {
      if (file.endsWith(SIDECAR_SUFFIX)) continue;
      const key = relative(bucketDir, file).split(sep).join('/');
      const sidecar = file + SIDECAR_SUFFIX;
      const settings = existsSync(sidecar) ? readSidecar(sidecar) : {};
      await writeObject(store, entry.name, key, createReadStream(file), settings);
      result.objects++;
    }
  }
  return result;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(path);
      return entry.isFile() ? [path] : [];
    });
}

function readSidecar(path: string): SeedObjectSettings {
  let settings: unknown;
  try {
    settings = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SeedError(`${path}: ${(error as Error).message}`);
  }
  checkSettings(settings, path);
  return settings;
}

const TEXT_SETTINGS = ['contentType', 'cacheControl', 'contentDisposition', 'contentEncoding', 'expires', 'acl'] as const;

/** Settings must have the types the README gives: text fields are strings, meta and tags maps of strings. */
function checkSettings(settings: unknown, what: string): asserts settings is SeedObjectSettings {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw new SeedError(`${what}: settings must be a JSON object`);
  const fields = settings as Record<string, unknown>;
  for (const name of TEXT_SETTINGS) {
    if (fields[name] !== undefined && typeof fields[name] !== 'string') throw new SeedError(`${what}: ${name} must be a string`);
  }
  for (const name of ['meta', 'tags'] as const) {
    const map = fields[name];
    if (map === undefined) continue;
    const isMap = typeof map === 'object' && map !== null && !Array.isArray(map);
    if (!isMap || Object.values(map).some((v) => typeof v !== 'string')) throw new SeedError(`${what}: ${name} must be an object of strings`);
  }
}

/**
 * Base64 as Buffer.from decodes it: standard or URL-safe letters, padding optional, line breaks and
 * spaces anywhere (the output of `base64` or Python's `encodebytes`); anything else is a typo.
 */
function isBase64(text: string): boolean {
  const letters = text.replace(/\s+/g, '').replace(/={1,2}$/, '');
  return /^[A-Za-z0-9+/_-]*$/.test(letters) && letters.length % 4 !== 1;
}

function checkSeedObject(object: unknown, what: string, bucket: string): asserts object is SeedObject {
  checkSettings(object, what);
  const { key, content, contentBase64 } = object as Record<string, unknown>;
  // An empty key would make an object no listing shows and no request can name or delete.
  if (typeof key !== 'string' || key === '') throw new SeedError(`${what}: key must be a non-empty string`);
  if (content !== undefined && typeof content !== 'string') throw new SeedError(`${what}: content must be a string`);
  // Buffer.from(…, 'base64') skips what is not base64: a typo would seed other bytes than meant.
  if (contentBase64 !== undefined && (typeof contentBase64 !== 'string' || !isBase64(contentBase64))) throw new SeedError(`${what}: contentBase64 must be base64`);
  checked(() => validateTarget({ bucket, key, query: [], style: 'path' }), `object ${bucket}/${key}`);
  checked(() => readObjectAttributes(asRequestHeaders(object as SeedObject), key), `object ${bucket}/${key}`);
}

function checkBucket(name: string, acl: BucketAcl | undefined): void {
  checked(() => validateTarget({ bucket: name, query: [], style: 'path' }), `bucket ${name}`);
  if (acl !== undefined && !BUCKET_ACLS.includes(acl)) throw new SeedError(`bucket ${name}: unknown ACL ${acl}`);
}

function ensureBucket(store: Store, name: string, acl: BucketAcl | undefined): void {
  checkBucket(name, acl);
  const existing = store.getBucket(name);
  if (!existing) store.createBucket({ name, createdAt: Date.now(), acl: acl ?? 'private', storageClass: 'Standard', redundancy: 'LRS' });
  else if (acl !== undefined) store.setBucketAcl(name, acl);
}

async function writeObject(store: Store, bucket: string, key: string, body: AsyncIterable<Buffer>, settings: SeedObjectSettings): Promise<void> {
  checked(() => validateTarget({ bucket, key, query: [], style: 'path' }), `object ${bucket}/${key}`);
  const attributes = checked(() => readObjectAttributes(asRequestHeaders(settings), key, bucketDefaults(store.getBucket(bucket))), `object ${bucket}/${key}`);
  const staged = await ingestBody(store.blobs.bytes, body, { wantMd5: true, maxBytes: MAX_PUT_SIZE, tooLarge: () => new OssError('EntityTooLarge') });
  // Seeding sets the scene, as the admin reset clears it: a bucket's WORM policy does not stop it (a restart re-seeds).
  commitStaged(staged, () => store.putObject(bucket, key, staged, attributes, { etag: md5ToEtag(staged.md5!), now: toSecond(Date.now()), ignoreRetention: true }));
}

/**
 * Seed settings as the headers of a PutObject carrying them, so they are validated exactly like
 * one. Values are given as Node reads request headers (UTF-8 bytes as Latin-1 text), which is
 * also how they are stored and sent back.
 */
function asRequestHeaders(settings: SeedObjectSettings): Record<string, string | undefined> {
  const tags = Object.entries(settings.tags ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  const headers: Record<string, string | undefined> = {
    'content-type': settings.contentType,
    'cache-control': settings.cacheControl,
    'content-disposition': settings.contentDisposition,
    'content-encoding': settings.contentEncoding,
    expires: settings.expires,
    'x-oss-object-acl': settings.acl,
    'x-oss-tagging': tags.length > 0 ? tags.join('&') : undefined,
  };
  for (const [name, value] of Object.entries(settings.meta ?? {})) headers[`x-oss-meta-${name.toLowerCase()}`] = String(value);
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const wire = Buffer.from(String(value), 'utf8').toString('latin1');
    validateHeaderName(name);
    validateHeaderValue(name, wire);
    headers[name] = wire;
  }
  return headers;
}

function checked<T>(check: () => T, what: string): T {
  try {
    return check();
  } catch (error) {
    throw new SeedError(`${what}: ${(error as Error).message}`);
  }
}
