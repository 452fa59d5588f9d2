import { validateHeaderName, validateHeaderValue } from 'node:http';
import { OssError } from '../errors/oss-error.js';
import { checkTemplate } from './template.js';

/**
 * An upload callback as the client asked for it (OSS's "Callback" API reference): after the object
 * is stored, POST `body` (its `${…}` variables filled in) to the first of `urls` that answers, and
 * give the client that server's answer instead of OSS's own.
 */
export interface UploadCallback {
  urls: URL[];
  /** The Host header of the callback request; the URL's host when not given. */
  host?: string;
  /** callbackBody, variables and all. */
  body: string;
  bodyType: CallbackBodyType;
  /** callbackSNI: send the host's name in TLS's SNI (OSS's default: no SNI). */
  sni: boolean;
  /** Headers sent with the callback request besides OSS's own (additionalHeaders). */
  headers: Array<[string, string]>;
  /** The custom variables (`x:name` → value) from callback-var, or from a form's `x:` fields. */
  variables: Map<string, string>;
}

export type CallbackBodyType = 'application/x-www-form-urlencoded' | 'application/json';
const BODY_TYPES: readonly string[] = ['application/x-www-form-urlencoded', 'application/json'];

/** OSS's limits: five URLs, and 5 KB for each of the callback's two parameters (not in a form). */
const MAX_URLS = 5;
const MAX_PARAMETER_CHARS = 5 * 1024;

/** Where a callback came from: headers (`x-oss-callback`), a presigned URL (`callback`) or a form (`callback`). */
export interface CallbackSources {
  callback?: string;
  callbackVar?: string;
  /** A form's `x:` fields, which take the place of callback-var there. */
  formVariables?: Map<string, string>;
  /** Forms have no size limit on the callback. */
  fromForm?: boolean;
}

/**
 * The callback a PutObject or CompleteMultipartUpload asks for, from its headers or its query
 * string (not both): undefined for none. Every error here is found before the body is read.
 */
export function requestedCallback(headers: Record<string, string | undefined>, params: Map<string, string | null>): UploadCallback | undefined {
  const inHeader = headers['x-oss-callback'] !== undefined || headers['x-oss-callback-var'] !== undefined;
  const inQuery = params.has('callback') || params.has('callback-var');
  if (inHeader && inQuery) {
    throw new OssError('InvalidArgument', { message: 'The callback is given both in the headers and in the URL: use one of them.', ec: '0007-00000027' });
  }
  return inHeader
    ? readCallback({ callback: headers['x-oss-callback'], callbackVar: headers['x-oss-callback-var'] })
    : readCallback({ callback: params.get('callback') ?? undefined, callbackVar: params.get('callback-var') ?? undefined });
}

/**
 * Decodes and checks a callback (base64 of a JSON object). A callback without a callbackUrl is no
 * callback: OSS then stores the object as usual ("Callback is not configured").
 */
export function readCallback(sources: CallbackSources): UploadCallback | undefined {
  if (sources.callback === undefined) return undefined;
  const spec = decodeParameter(sources.callback, 'callback', sources.fromForm, ['0007-00000002', '0007-00000003']);
  const urlList = spec['callbackUrl'];
  if (urlList === undefined || urlList === '') return undefined;
  const urls = readUrls(urlList);
  const body = spec['callbackBody'];
  if (typeof body !== 'string' || body === '') {
    throw invalid('callbackBody', String(body ?? ''), 'The callbackBody of the callback is empty.', '0007-00000011');
  }
  checkTemplate(body);
  const bodyType = spec['callbackBodyType'] ?? 'application/x-www-form-urlencoded';
  if (typeof bodyType !== 'string' || !BODY_TYPES.includes(bodyType)) {
    throw invalid('callbackBodyType', String(bodyType), 'The callbackBodyType must be application/x-www-form-urlencoded or application/json.', '0007-00000012');
  }
  const host = spec['callbackHost'];
  if (host !== undefined && (typeof host !== 'string' || !/^[A-Za-z0-9.:[\]-]+$/.test(host))) {
    throw invalid('callbackHost', String(host), 'The callbackHost must be a domain name or an IP address.', '0007-00000009');
  }
  const sni = spec['callbackSNI'];
  // [GUESS] EC: OSS's message is known ("The callback sni is invalid"), its EC is not.
  if (sni !== undefined && typeof sni !== 'boolean') throw invalid('callbackSNI', String(sni), 'The callback sni is invalid', '0007-00000013');
  return {
    urls,
    ...(host !== undefined && host !== '' ? { host } : {}),
    body,
    bodyType: bodyType as CallbackBodyType,
    sni: sni === true,
    headers: readAdditionalHeaders(spec['additionalHeaders']),
    variables: sources.formVariables ?? readVariables(sources.callbackVar, sources.fromForm),
  };
}

/** callbackUrl: up to five http(s) URLs separated by `;`, tried in order. */
function readUrls(list: unknown): URL[] {
  if (typeof list !== 'string') throw invalid('callbackUrl', String(list), 'The callbackUrl must be a string.', '0007-00000004');
  const parts = list.split(';').map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length > MAX_URLS) throw invalid('callbackUrl', list, `The callbackUrl holds more than ${MAX_URLS} URLs.`, '0007-00000005');
  if (parts.length === 0) throw invalid('callbackUrl', list, 'The callbackUrl holds no URL.', '0007-00000004');
  return parts.map((part) => {
    // OSS takes a URL without a scheme as http (its docs' examples give bare hosts).
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(part) ? part : `http://${part}`;
    const url = URL.canParse(withScheme) ? new URL(withScheme) : undefined;
    // A host of one label (`my`, the Java SDK's test of a bad URL) is refused, but for localhost: the callback server is local here.
    const oneLabel = url !== undefined && !url.hostname.includes('.') && !url.hostname.startsWith('[') && url.hostname !== 'localhost';
    if (!url || !/^https?:$/.test(url.protocol) || oneLabel || url.username !== '' || url.password !== '') {
      throw invalid('callbackUrl', part, `The callback URL ${part} is invalid.`, '0007-00000004');
    }
    return url;
  });
}

/**
 * Headers that frame or sign the callback request, or say where it goes: OSS sets them, and one
 * taken from additionalHeaders would let a callback cut its own request short and smuggle another.
 */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'authorization', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade', 'expect']);

function readAdditionalHeaders(value: unknown): Array<[string, string]> {
  if (value === undefined) return [];
  const bad = (): OssError =>
    invalid('additionalHeaders', JSON.stringify(value), "The additionalHeaders of the callback must map header names (not x-oss-*, nor one of the request's own) to header values.", '0007-00000026');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad();
  const headers = Object.entries(value as Record<string, unknown>);
  for (const [name, text] of headers) {
    const lower = name.toLowerCase();
    if (typeof text !== 'string' || lower.startsWith('x-oss-') || lower.startsWith('proxy-') || RESERVED_HEADERS.has(lower)) throw bad();
    try {
      // What Node would refuse to send (control characters, non-Latin-1 text) is refused here, before the body is read.
      validateHeaderName(name);
      validateHeaderValue(name, text);
    } catch {
      throw bad();
    }
  }
  return headers as Array<[string, string]>;
}

/** callback-var: base64 of a JSON object of strings, whose names start with `x:`. */
function readVariables(text: string | undefined, fromForm: boolean | undefined): Map<string, string> {
  if (text === undefined) return new Map();
  const spec = decodeParameter(text, 'callback-var', fromForm, ['0007-00000102', '0007-00000103']);
  const variables = new Map<string, string>();
  for (const [name, value] of Object.entries(spec)) {
    // [GUESS] EC: OSS documents this refusal but not its code.
    if (typeof value !== 'string') throw invalid('callback-var', JSON.stringify(spec), `The callback variable ${name} must be a string.`, '0007-00000104');
    variables.set(name, value);
  }
  return variables;
}

/** Base64 of a JSON object, at most 5 KB (but in a form), with OSS's ECs for not base64 and not JSON. */
function decodeParameter(text: string, name: string, fromForm: boolean | undefined, [notBase64, notJson]: [string, string]): Record<string, unknown> {
  // [GUESS] EC: OSS refuses a longer parameter (the Java SDK's test) but names no code.
  if (!fromForm && text.length > MAX_PARAMETER_CHARS) throw invalid(name, `${text.slice(0, 64)}…`, `The ${name} parameter is longer than 5 KB.`, '0007-00000001');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw invalid(name, text, `The ${name} configuration is not base64 encoded.`, notBase64);
  const json = Buffer.from(text, 'base64').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw invalid(name, json, `The ${name} configuration is not json format.`, notJson);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(name, json, `The ${name} configuration is not json format.`, notJson);
  return value as Record<string, unknown>;
}

function invalid(argument: string, value: string, message: string, ec: string): OssError {
  return new OssError('InvalidArgument', { message, ec, details: [['ArgumentName', argument], ['ArgumentValue', value]] });
}
