import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { OssError } from '../errors/oss-error.js';
import type { IdleLimit } from '../util/read-pieces.js';

/**
 * The fields of an HTML form upload (PostObject), up to its `file` field, whose bytes are left
 * unread in `file.stream` for the caller to check the form first and then stream them: a form
 * never has to be held whole. OSS reads fields after the file no further, and so does this.
 */
export interface FormUpload {
  /** Each field by its name lower-cased (OSS's form field names ignore case), as sent. */
  fields: Map<string, string>;
  file: { filename: string; contentType: string; stream: Readable };
  /** Stops reading the request (the caller answers without the rest of the body). */
  abandon(): void;
}

/** What the fields before the file may hold together: 8 MB (OSS's EC page 0006-00000112). */
const MAX_FIELDS_BYTES = 8 * 1000 * 1000;
const MAX_FIELDS = 1000;
const tooMuchBeforeFile = (): OssError =>
  new OssError('InvalidArgument', { message: `The form fields before the file may hold at most ${MAX_FIELDS_BYTES} bytes.`, ec: '0006-00000112' });

/** Parses `multipart/form-data` up to the `file` field; malformed forms are OSS's errors, never a hang or a 500. */
export function readFormUpload(req: IncomingMessage, headers: Record<string, string | undefined>, idle: IdleLimit): Promise<FormUpload> {
  const contentType = headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !/boundary=/i.test(contentType)) {
    throw new OssError('InvalidArgument', {
      message: 'PostObject needs a body of Content-Type multipart/form-data with a boundary.',
      details: [['ArgumentName', 'Content-Type'], ['ArgumentValue', contentType]],
    });
  }
  let parser: BusboyInstance;
  try {
    parser = Busboy({
      headers: { 'content-type': contentType },
      limits: { fieldSize: MAX_FIELDS_BYTES, fields: MAX_FIELDS, fieldNameSize: 1024 },
      // The part named `file` is the file, with or without a filename (the Python SDK v2's sample sends none).
      isPartAFile: (name) => name?.toLowerCase() === 'file',
    });
  } catch {
    throw new OssError('InvalidArgument', { message: 'The multipart/form-data boundary is not valid.', details: [['ArgumentName', 'Content-Type'], ['ArgumentValue', contentType]] });
  }
  const fields = new Map<string, string>();
  return new Promise<FormUpload>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const abandon = (): void => {
      req.unpipe(parser);
      req.off('data', onData);
      clearTimeout(timer);
      parser.removeAllListeners();
      // Errors after this point (a client that goes away) have nowhere to go: keep them quiet.
      parser.on('error', () => undefined);
    };
    const fail = (error: OssError): void => {
      if (settled) return;
      settled = true;
      abandon();
      reject(error);
    };
    const onData = (): void => {
      clearTimeout(timer);
      if (idle.ms > 0) timer = setTimeout(() => fail(idle.error() as OssError), idle.ms);
    };
    onData();
    req.on('data', onData);
    let fieldBytes = 0;
    parser.on('field', (name, value, nameTruncated, valueTruncated) => {
      fieldBytes += name.length + value.length;
      if (valueTruncated || nameTruncated || fieldBytes > MAX_FIELDS_BYTES) return fail(tooMuchBeforeFile());
      const lower = name.toLowerCase();
      // The first of a repeated field counts (a second `key` must not replace the one a policy was checked against).
      if (!fields.has(lower)) fields.set(lower, value);
    });
    parser.on('file', (_name, stream, filename, _encoding, mimeType) => {
      if (settled) return stream.resume();
      settled = true;
      req.off('data', onData);
      clearTimeout(timer);
      // Parts after the file are read (so the file's end is found) and ignored.
      parser.removeAllListeners('field');
      parser.on('file', (_other, rest) => rest.resume());
      resolve({ fields, file: { filename: filename ?? '', contentType: mimeType, stream }, abandon });
    });
    parser.on('fieldsLimit', () => fail(new OssError('InvalidArgument', { message: `A form may have at most ${MAX_FIELDS} fields.` })));
    parser.on('error', () => fail(new OssError('MalformedPOSTRequest')));
    // The form ended without a file (EC 0006-00000104).
    parser.on('finish', () => fail(new OssError('MalformedPOSTRequest', { message: 'The body of your POST request has no file field.' })));
    req.on('error', () => fail(new OssError('RequestTimeout')));
    req.pipe(parser);
  });
}
