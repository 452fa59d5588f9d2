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
  /**
   * Settles once the form has ended after the file: rejects if it never does properly (a second
   * file, a body cut short). The caller commits the upload only after it, so only whole forms land.
   */
  rest: Promise<void>;
  /** Why `rest` failed, if it has already: a reason to prefer over the file stream's own end. */
  restFailure(): Error | undefined;
  /** Stops reading the request (the caller answers without the rest of the body). */
  abandon(): void;
}

/** What the fields before the file may hold together: 8 MB (OSS's EC page 0006-00000112). */
const MAX_FIELDS_BYTES = 8 * 1000 * 1000;
const MAX_FIELDS = 1000;
const tooMuchBeforeFile = (): OssError =>
  new OssError('InvalidArgument', { message: `The form fields before the file may hold at most ${MAX_FIELDS_BYTES} bytes.`, ec: '0006-00000112' });
const malformed = (message?: string): OssError => new OssError('MalformedPOSTRequest', message === undefined ? {} : { message });

/** The error a file stream ends with when the client goes away mid-file (ingestBody reports it as an abort). */
const aborted = (): Error => Object.assign(new Error('aborted'), { code: 'ECONNRESET' });

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
      limits: { fieldSize: MAX_FIELDS_BYTES, fields: MAX_FIELDS },
      // The part named `file` is the file, with or without a filename (the Python SDK v2's sample sends none).
      isPartAFile: (name) => name?.toLowerCase() === 'file',
    });
  } catch {
    throw new OssError('InvalidArgument', { message: 'The multipart/form-data boundary is not valid.', details: [['ArgumentName', 'Content-Type'], ['ArgumentValue', contentType]] });
  }
  const fields = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  const watchIdle = (onIdle: () => void): (() => void) => {
    const restart = (): void => {
      clearTimeout(timer);
      if (idle.ms > 0) timer = setTimeout(onIdle, idle.ms);
    };
    restart();
    req.on('data', restart);
    return () => {
      clearTimeout(timer);
      req.off('data', restart);
    };
  };
  const abandon = (): void => {
    clearTimeout(timer);
    req.unpipe(parser);
    parser.removeAllListeners();
    // Whatever the parser still reports (a client that goes away) has nowhere to go.
    parser.on('error', () => undefined);
  };

  return new Promise<FormUpload>((resolve, reject) => {
    let settled = false;
    const fail = (error: OssError): void => {
      if (settled) return;
      settled = true;
      stopWatching();
      abandon();
      reject(error);
    };
    const stopWatching = watchIdle(() => fail(idle.error() as OssError));
    let fieldBytes = 0;
    parser.on('field', (name: string | undefined, value: string, nameTruncated: boolean, valueTruncated: boolean) => {
      // A part without a name is no field of a form.
      if (typeof name !== 'string') return fail(malformed());
      fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (valueTruncated || nameTruncated || fieldBytes > MAX_FIELDS_BYTES) return fail(tooMuchBeforeFile());
      const lower = name.toLowerCase();
      // The first of a repeated field counts (a second `key` must not replace the one a policy was checked against).
      if (!fields.has(lower)) fields.set(lower, value);
    });
    parser.on('file', (_name, stream, filename, _encoding, mimeType) => {
      if (settled) return stream.resume();
      settled = true;
      stopWatching();
      const rest = afterFile(req, parser, stream, watchIdle, idle);
      let restError: Error | undefined;
      // Handled here as well, so that a rejection before the caller awaits it is no unhandled one.
      rest.catch((error: Error) => (restError = error));
      resolve({ fields, file: { filename: filename ?? '', contentType: mimeType, stream }, rest, restFailure: () => restError, abandon });
    });
    parser.on('fieldsLimit', () => fail(new OssError('InvalidArgument', { message: `A form may have at most ${MAX_FIELDS} fields.` })));
    parser.on('error', () => fail(malformed()));
    // The form ended without a file (EC 0006-00000104).
    parser.on('finish', () => fail(malformed('The body of your POST request has no file field.')));
    req.on('error', () => fail(malformed()));
    req.pipe(parser);
  });
}

/**
 * The form after its file: fields are ignored, a second file refused (OSS: one file per form), and
 * the end awaited. A client that goes away ends the file stream with an abort at once, rather than
 * leaving it to wait for the idle limit (the parser is never told the request ended).
 */
function afterFile(req: IncomingMessage, parser: BusboyInstance, file: Readable, watchIdle: (onIdle: () => void) => () => void, idle: IdleLimit): Promise<void> {
  parser.removeAllListeners('field');
  parser.removeAllListeners('file');
  parser.removeAllListeners('finish');
  parser.removeAllListeners('error');
  // Whoever reads the file listens for its errors; this one keeps an error nobody reads (the file
  // already read, or its reader gone) from being an uncaught exception.
  file.on('error', () => undefined);
  return new Promise<void>((resolve, reject) => {
    let stopWatching: (() => void) | undefined;
    const fail = (error: Error): void => {
      stopWatching?.();
      if (!file.readableEnded) file.destroy(error);
      reject(error);
    };
    parser.on('file', (_name, other) => {
      other.resume();
      fail(new OssError('IncorrectNumberOfFilesInPOSTRequest'));
    });
    parser.on('error', () => fail(malformed()));
    parser.on('finish', () => {
      stopWatching?.();
      resolve();
    });
    // Once the file has been read, the rest of the form must come within the idle limit too.
    file.once('end', () => (stopWatching = watchIdle(() => fail(idle.error()))));
    req.once('close', () => {
      if (!req.complete) fail(aborted());
    });
  });
}
