import { checkPostPolicy, lengthRange, parsePostPolicy } from '../access/post-policy.js';
import { authenticateForm, type Principal } from '../auth/authenticate.js';
import { answerWithCallback } from '../callbacks/answer.js';
import { readCallback } from '../callbacks/parse.js';
import { OssError } from '../errors/oss-error.js';
import { authorizeAction } from '../http/authorize.js';
import { bodyIdleLimit } from '../http/body.js';
import type { OssContext } from '../http/context.js';
import { readFormUpload, type FormUpload } from '../http/form-upload.js';
import { bucketDefaults, readForbidOverwrite, readObjectAttributes } from '../http/object-input.js';
import { objectLocation, quoteEtag, setWrittenHeaders } from '../http/object-output.js';
import { sendEmpty, sendXml } from '../http/respond.js';
import { validateObjectKey } from '../http/validate.js';
import { commitStaged, ingestBody } from '../store/ingest.js';
import type { ObjectRecord } from '../store/types.js';
import { md5ToEtag } from '../util/etag.js';
import { toSecond } from '../util/http-date.js';
import { MAX_PUT_SIZE } from './object.js';

/**
 * PostObject (`POST /` on a bucket, `multipart/form-data`): an HTML form upload, as a browser
 * sends it straight to OSS with a policy the application signed. The form's fields are read up to
 * its `file`; then, before any byte of the file is read, its signature and policy are checked and
 * the signer authorized (oss:PutObject on the key, as PutObject); the file is streamed into a Normal
 * object like a PutObject body, and the answer is `success_action_status` (204 by default, 201 with
 * a `<PostResponse>`) or a redirect to `success_action_redirect`. Sources: docs/divergences.md.
 */
export async function postObject(ctx: OssContext): Promise<void> {
  const bucket = ctx.target.bucket!;
  ctx.store.requireBucket(bucket);
  const form = await readFormUpload(ctx.koa.req, ctx.headers, bodyIdleLimit(ctx.config));
  try {
    await upload(ctx, bucket, form);
  } catch (error) {
    form.abandon();
    throw error;
  }
}

/** The form fields that set what PutObject's headers of the same names set. */
const HEADER_FIELDS = ['cache-control', 'content-disposition', 'content-encoding', 'expires', 'x-oss-object-acl', 'x-oss-storage-class', 'x-oss-tagging',
  'x-oss-server-side-encryption', 'x-oss-server-side-data-encryption', 'x-oss-server-side-encryption-key-id', 'x-oss-forbid-overwrite'];

async function upload(ctx: OssContext, bucket: string, form: FormUpload): Promise<void> {
  const { store } = ctx;
  const { fields, file } = form;
  const now = Date.now();
  const noKey = (): OssError =>
    new OssError('InvalidArgument', {
      message: "The bucket POST must contain the specified 'key'. If it is specified, please check the order of the fields",
      details: [['ArgumentName', 'key']],
    });
  const template = fields.get('key');
  if (!template) throw noKey();
  const principal: Principal =
    ctx.config.auth === 'off' ? { kind: 'owner', accessKeyId: ctx.config.accessKeyId } : authenticateForm(fields, { credentials: ctx.config, ramUsers: ctx.config.ramUsers, now });
  // In a form the custom variables are fields of their own (`x:name`), not a callback-var.
  const custom = new Map([...fields].filter(([name]) => name.startsWith('x:')));
  const callback = readCallback({ callback: fields.get('callback'), formVariables: custom, fromForm: true });
  const policyField = fields.get('policy');
  const policy = policyField ? parsePostPolicy(policyField) : undefined;
  if (policy) checkPostPolicy(policy, fields, bucket, now);
  // After the policy, which sees the key as sent (OSS: "the value of a form field is extended after OSS checks the policy").
  const key = template.split('${filename}').join(file.filename);
  if (key === '') throw noKey(); // `${filename}` alone, and a file part without a name
  validateObjectKey(key);

  const headers: Record<string, string | undefined> = Object.fromEntries(HEADER_FIELDS.map((name) => [name, asHeader(name, fields.get(name))]));
  // The object's type: x-oss-content-type, else the Content-Type field, else the file part's own
  // (which the parser reports as text/plain when the part has none: then the key's extension decides).
  const contentType = fields.get('x-oss-content-type') ?? fields.get('content-type') ?? (file.contentType === 'text/plain' ? undefined : file.contentType);
  headers['content-type'] = asHeader('content-type', contentType);
  for (const [name, value] of fields) {
    if (!name.startsWith('x-oss-meta-')) continue;
    // A name a header could not have would make every later GET fail.
    if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) throw new OssError('InvalidArgument', { message: `The form field ${name} is no valid metadata name.`, details: [['ArgumentName', name]] });
    headers[name] = asHeader(name, value);
  }
  const redirect = redirectTarget(fields.get('success_action_redirect'));
  const writer: OssContext = { ...ctx, principal, target: { ...ctx.target, key } };
  authorizeAction(writer, 'write', 'oss:PutObject', key);
  if (headers['x-oss-tagging'] !== undefined) authorizeAction(writer, 'write', 'oss:PutObjectTagging', key);
  const attributes = readObjectAttributes(headers, key, bucketDefaults(store.getBucket(bucket)));
  const forbidOverwrite = readForbidOverwrite(headers);
  store.objectToReplace(bucket, key, forbidOverwrite);

  const range = policy ? lengthRange(policy) : undefined;
  const maxBytes = Math.min(MAX_PUT_SIZE, range?.max ?? MAX_PUT_SIZE);
  const tooLarge = (): OssError => new OssError('EntityTooLarge', { ec: range && range.max < MAX_PUT_SIZE ? '0006-00000003' : undefined });
  const staged = await ingestBody(store.blobs.bytes, file.stream, { wantMd5: true, maxBytes, tooLarge, idle: bodyIdleLimit(ctx.config) }).catch(async (error: unknown) => {
    // Let the microtasks run that settle what the form made of its end (a second file ends the first early).
    await new Promise((resolve) => setImmediate(resolve));
    const verdict = form.restFailure();
    if (verdict instanceof OssError) throw verdict;
    // The parser's own errors (a part cut short mid-file) are the client's malformed form.
    const abort = (error as { code?: string }).code === 'ECONNRESET';
    throw error instanceof OssError || abort ? error : new OssError('MalformedPOSTRequest');
  });
  try {
    // Only a whole form lands: one file, and its end.
    await form.rest;
  } catch (error) {
    staged.writer.abort();
    throw error;
  }
  const record = commitStaged(staged, () => {
    if (range && staged.size < range.min) throw new OssError('EntityTooSmall', { message: 'Your proposed upload is smaller than the minimum allowed size.', ec: '0006-00000004' });
    return store.putObject(bucket, key, staged, attributes, { forbidOverwrite, etag: md5ToEtag(staged.md5!), now: toSecond(Date.now()) });
  });
  setWrittenHeaders(ctx.koa, record);
  ctx.koa.set('Content-MD5', record.contentMd5!);
  if (callback) return answerWithCallback(ctx, callback, record, 'PostObject');
  answer(ctx, bucket, key, record, fields, redirect);
}

/**
 * A field's value as the header of the same name would bring it: its UTF-8 bytes, each read as
 * one Latin-1 character (so GET and HEAD send back the bytes that came, as for PutObject's headers).
 * A control character, which no header may carry, is refused, never stored to fail every later GET.
 */
function asHeader(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
    throw new OssError('InvalidArgument', { message: `The form field ${name} holds a control character.`, details: [['ArgumentName', name]] });
  }
  return Buffer.from(value, 'utf8').toString('latin1');
}

/** success_action_redirect, checked before anything is stored: non-ASCII percent-encoded, control characters refused. */
function redirectTarget(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (/[\x00-\x1f\x7f]/.test(url)) {
    throw new OssError('InvalidArgument', { message: 'success_action_redirect holds a control character.', details: [['ArgumentName', 'success_action_redirect']] });
  }
  return url.replace(/[^\x20-\x7e]+/g, (text) => encodeURIComponent(text));
}

/**
 * success_action_redirect, else success_action_status: 200 or 201 (with `<PostResponse>`), and 204
 * for anything else; the write's headers are set already.
 */
function answer(ctx: OssContext, bucket: string, key: string, record: ObjectRecord, fields: ReadonlyMap<string, string>, redirect: string | undefined): void {
  const { koa } = ctx;
  if (redirect !== undefined) {
    const query = new URLSearchParams({ bucket, key, etag: quoteEtag(record.etag) }).toString();
    koa.set('Location', `${redirect}${redirect.includes('?') ? '&' : '?'}${query}`);
    return sendEmpty(koa, 303);
  }
  const status = fields.get('success_action_status');
  if (status === '201') {
    const location = objectLocation(ctx.headers['host'] ?? '', ctx.target.style, bucket, key);
    return sendXml(koa, 'PostResponse', { Bucket: bucket, Location: location, Key: key, ETag: quoteEtag(record.etag) }, 201);
  }
  sendEmpty(koa, status === '200' ? 200 : 204);
}
