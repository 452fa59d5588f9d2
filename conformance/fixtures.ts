import { XMLParser } from 'fast-xml-parser';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OssResponse } from '../client/index.js';

/**
 * Fixtures: a case's exchanges with everything volatile masked (request ids, dates, hosts, the
 * bucket and the run prefix), so a recording from real OSS can be compared with an emulator run.
 * Values are masked by shape (`<hex24>00000000`), so a differently shaped value still shows.
 */
export interface NormalizedExchange {
  status: number;
  headers: Record<string, string>;
  /** Parsed XML (masked), a decoded `x-oss-err`, or the byte length of any other body. */
  body?: unknown;
}

export interface FixtureSource {
  kind: 'recorded' | 'documented';
  /** recorded: ISO date of the recording; documented: the doc page the exchange was taken from. */
  date?: string;
  region?: string;
  doc?: string;
  note?: string;
}

export interface FixtureFile {
  source: FixtureSource;
  exchanges: Record<string, NormalizedExchange>;
}

/** Headers whose presence and value matter to clients. */
const HEADERS = [
  'content-type', 'content-length', 'content-range', 'content-md5', 'etag', 'accept-ranges', 'cache-control',
  'content-disposition', 'content-encoding', 'expires', 'last-modified', 'x-oss-object-type',
  'x-oss-next-append-position', 'x-oss-hash-crc64ecma', 'x-oss-storage-class', 'x-oss-tagging-count',
  'x-oss-ec', 'x-oss-request-id', 'server',
];

/** XML elements whose text is volatile, and what replaces it. */
const MASKED_ELEMENTS: Record<string, string> = {
  RequestId: '<request-id>',
  HostId: '<host-id>',
  LastModified: '<iso-date>',
  CreationDate: '<iso-date>',
  ID: '<owner-id>',
  DisplayName: '<owner-id>',
  OSSAccessKeyId: '<access-key-id>',
  SignatureProvided: '<signature>',
  StringToSign: '<string-to-sign>',
  StringToSignBytes: '<string-to-sign-bytes>',
  CanonicalRequest: '<canonical-request>',
  ServerTime: '<iso-date>',
  RequestTime: '<iso-date>',
  ExtranetEndpoint: '<endpoint>',
  IntranetEndpoint: '<endpoint>',
  // AccessDenied's account and user ids, and real OSS's opaque diagnostic blob.
  AuthPrincipalOwnerId: '<owner-id>',
  AuthPrincipalDisplayName: '<user-id>',
  User: '<user-id>',
  EncodedDiagnosticMessage: '<diagnostic>',
  // Multipart: when an upload began.
  Initiated: '<iso-date>',
};

/** Elements holding a multipart upload id: random per upload, so masked by shape (32 upper-case hex digits). */
const UPLOAD_ID_ELEMENTS = new Set(['UploadId', 'UploadIdMarker', 'NextUploadIdMarker']);

function maskUploadId(text: string): string {
  if (text === '') return text;
  return /^[0-9A-F]{32}$/.test(text) ? '<hex32>' : `<other:${text.length}>`;
}

const parser = new XMLParser({ ignoreAttributes: true, ignoreDeclaration: true, parseTagValue: false, trimValues: true });

export interface MaskContext {
  bucket: string;
  prefix: string;
}

export function normalizeExchange(res: OssResponse, mask: MaskContext): NormalizedExchange {
  const headers: Record<string, string> = {};
  const isXml = (res.headers['content-type'] ?? '').includes('xml');
  for (const name of HEADERS) {
    const value = res.headers[name];
    if (value === undefined) continue;
    // The length of an XML document (or, on HEAD, of the one it stands for) depends on masked
    // values such as ids and host names: the document itself is compared instead.
    if (name === 'content-length' && isXml) continue;
    headers[name] = maskHeader(name, value, mask);
  }
  const exchange: NormalizedExchange = { status: res.status, headers };
  const err = res.headers['x-oss-err'];
  if (err !== undefined) exchange.body = { 'x-oss-err': maskXml(Buffer.from(err, 'base64').toString('utf8'), mask) };
  else if (isXml && res.body.length > 0) exchange.body = maskXml(res.body.toString('utf8'), mask);
  else if (res.body.length > 0) exchange.body = { bytes: res.body.length };
  return exchange;
}

function maskHeader(name: string, value: string, mask: MaskContext): string {
  if (name === 'x-oss-request-id') return /^[0-9A-F]{24}$/.test(value) ? '<hex24>' : `<other:${value.length}>`;
  if (name === 'last-modified') return /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value) ? '<http-date>' : value;
  if (name === 'etag') return maskEtag(value);
  return maskText(value, mask);
}

/** `"<hex32>"` (MD5), `"<hex24>00000000"` (appendable), `"<hex32>-3"` (multipart). */
function maskEtag(value: string): string {
  return value.replace(/[0-9A-F]{32}(-\d+)?/, (hex, suffix: string | undefined) => {
    if (suffix) return `<hex32>${suffix}`;
    return hex.endsWith('00000000') ? '<hex24>00000000' : '<hex32>';
  });
}

function maskText(text: string, mask: MaskContext): string {
  return text.split(mask.prefix).join('<prefix>/').split(mask.bucket).join('<bucket>');
}

function maskXml(xml: string, mask: MaskContext): unknown {
  const walk = (node: unknown, name?: string): unknown => {
    if (Array.isArray(node)) return node.map((child) => walk(child, name));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, walk(v, k)]));
    }
    const text = String(node);
    if (name && MASKED_ELEMENTS[name] !== undefined) return MASKED_ELEMENTS[name];
    if (name === 'ETag') return maskEtag(text);
    if (name && UPLOAD_ID_ELEMENTS.has(name)) return maskUploadId(text);
    // A completed upload's Location is a URL on the endpoint's host; GetBucketInfo's Location is a region, kept.
    if (name === 'Location' && /^https?:\/\//.test(text)) return '<url>';
    return maskText(text, mask);
  };
  return walk(parser.parse(xml));
}

/** A fixture value of `<any>` matches whatever arrived (documented examples elide some values). */
const ANY = '<any>';

/**
 * Differences between a fixture and this run's exchanges. Recorded fixtures must match exactly
 * (an extra header is a difference too); documented ones list only what the doc example shows.
 */
export function compareWithFixture(fixture: FixtureFile, actual: Record<string, NormalizedExchange>): string[] {
  const exact = fixture.source.kind === 'recorded';
  const differences: string[] = [];
  for (const [name, expected] of Object.entries(fixture.exchanges)) {
    const got = actual[name];
    if (!got) {
      differences.push(`${name}: exchange not made in this run`);
      continue;
    }
    if (got.status !== expected.status) differences.push(`${name}: status ${got.status}, fixture ${expected.status}`);
    const names = new Set([...Object.keys(expected.headers), ...(exact ? Object.keys(got.headers) : [])]);
    for (const header of names) {
      const want = expected.headers[header];
      const have = got.headers[header];
      if (want === ANY && have !== undefined) continue;
      if (want !== have) differences.push(`${name}: header ${header} is ${have ?? '(absent)'}, fixture ${want ?? '(absent)'}`);
    }
    differences.push(...compareBodies(`${name}: body`, expected.body, got.body, exact));
  }
  return differences;
}

function compareBodies(path: string, want: unknown, have: unknown, exact: boolean): string[] {
  if (want === ANY && have !== undefined) return [];
  if (want === undefined) return exact && have !== undefined ? [`${path} is present, fixture has none`] : [];
  if (want !== null && typeof want === 'object' && have !== null && typeof have === 'object' && !Array.isArray(want) === !Array.isArray(have)) {
    const keys = new Set([...Object.keys(want), ...(exact ? Object.keys(have) : [])]);
    return [...keys].flatMap((k) => compareBodies(`${path}.${k}`, (want as Record<string, unknown>)[k], (have as Record<string, unknown>)[k], exact));
  }
  return JSON.stringify(want) === JSON.stringify(have) ? [] : [`${path} is ${JSON.stringify(have) ?? '(absent)'}, fixture ${JSON.stringify(want)}`];
}

/** Looks up a case's fixture: a recording from real OSS wins over a documented example. */
export function loadFixture(dir: string, caseId: string): FixtureFile | undefined {
  for (const kind of ['recorded', 'documented'] as const) {
    const path = join(dir, kind, `${caseId}.json`);
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as FixtureFile;
  }
  return undefined;
}

export function writeRecording(dir: string, caseId: string, region: string, exchanges: Record<string, NormalizedExchange>): void {
  mkdirSync(join(dir, 'recorded'), { recursive: true });
  const file: FixtureFile = { source: { kind: 'recorded', date: new Date().toISOString().slice(0, 10), region }, exchanges };
  writeFileSync(join(dir, 'recorded', `${caseId}.json`), JSON.stringify(file, null, 2) + '\n');
}
