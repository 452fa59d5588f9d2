import type { Context } from 'koa';
import { OssError } from '../errors/oss-error.js';
import type { CorsConfiguration, CorsRule } from '../store/types.js';
import type { XmlElement } from '../util/xml.js';
import { textOf, textsOf } from '../util/xml-fields.js';

/**
 * A bucket's CORS rules (PutBucketCors) and how OSS applies them: to preflight OPTIONS requests,
 * and to any request that carries an `Origin`. Rules are tried in order and the first whose
 * origin, method and (for a preflight) every requested header match wins. Facts and the choices
 * where OSS is silent: docs/divergences.md, "CORS".
 */
export type { CorsConfiguration, CorsRule };

export const MAX_CORS_RULES = 10;
const METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'DELETE', 'POST', 'HEAD']);

/** Configuration errors: OSS documents the ECs, not the codes or messages (ours). */
const invalid = (message: string, ec: string, name?: string, value?: string): OssError =>
  new OssError('InvalidArgument', { message, ec, details: name === undefined ? [] : [['ArgumentName', name], ['ArgumentValue', value ?? '']] });

/** An element's values, or the one it may have (a nested element where text belongs is MalformedXML), trimmed of any white space. */
const texts = (value: unknown): string[] => textsOf(value).map((v) => v.trim());
const single = (value: unknown): string | undefined => textOf(value)?.trim();

/**
 * Exposed headers are sent back in `Access-Control-Expose-Headers`, so each must be printable
 * ASCII (punctuation included, which OSS accepts) and a rule's together must stay well inside
 * what HTTP clients take in headers (Node's: 16 KiB for all of them).
 */
const EXPOSE_HEADER = /^[\x21-\x29\x2b-\x7e]+$/;
const MAX_EXPOSE_HEADERS_CHARS = 4096;

/** The parsed `<CORSConfiguration>` root of a PutBucketCors body; throws OSS's errors for a bad one. */
export function readCorsConfiguration(root: Record<string, unknown>): CorsConfiguration {
  const ruleElements = root['CORSRule'] === undefined ? [] : Array.isArray(root['CORSRule']) ? root['CORSRule'] : [root['CORSRule']];
  if (ruleElements.length === 0) throw invalid('The CORS configuration must have at least one CORSRule.', '0034-00000002');
  if (ruleElements.length > MAX_CORS_RULES) throw invalid(`A bucket can have at most ${MAX_CORS_RULES} CORS rules.`, '0034-00000002');
  const rules = ruleElements.map((element): CorsRule => {
    const rule = typeof element === 'object' && element !== null ? (element as Record<string, unknown>) : {};
    const allowedOrigins = texts(rule['AllowedOrigin']).filter((o) => o !== '');
    const allowedMethods = texts(rule['AllowedMethod']);
    if (allowedOrigins.length === 0 || allowedMethods.length === 0) {
      throw invalid('Each CORSRule must have at least one AllowedOrigin and one AllowedMethod.', '0034-00000002');
    }
    for (const method of allowedMethods) {
      if (!METHODS.has(method)) throw invalid('AllowedMethod must be GET, PUT, DELETE, POST or HEAD.', '0034-00000011', 'AllowedMethod', method);
    }
    const allowedHeaders = texts(rule['AllowedHeader']).filter((h) => h !== '').map((h) => h.toLowerCase());
    for (const [name, value] of [...allowedOrigins.map((o) => ['AllowedOrigin', o] as const), ...allowedHeaders.map((h) => ['AllowedHeader', h] as const)]) {
      if (value.split('*').length > 2) throw invalid(`${name} may contain at most one wildcard (*).`, '0034-00000002', name, value);
    }
    const exposeHeaders = texts(rule['ExposeHeader']).filter((h) => h !== '');
    for (const header of exposeHeaders) {
      if (header.includes('*')) throw invalid('ExposeHeader may not contain a wildcard (*).', '0034-00000013', 'ExposeHeader', header);
      if (!EXPOSE_HEADER.test(header)) throw invalid('ExposeHeader must be printable ASCII without spaces.', '0034-00000013', 'ExposeHeader', header);
    }
    if (exposeHeaders.join(', ').length > MAX_EXPOSE_HEADERS_CHARS) {
      throw invalid(`A CORSRule's ExposeHeader elements may hold at most ${MAX_EXPOSE_HEADERS_CHARS} characters together.`, '0034-00000013');
    }
    const result: CorsRule = { allowedOrigins, allowedMethods, allowedHeaders, exposeHeaders };
    const maxAge = single(rule['MaxAgeSeconds']);
    if (maxAge !== undefined) {
      if (!/^\d{1,9}$/.test(maxAge)) throw invalid('MaxAgeSeconds must be a non-negative integer.', '0034-00000002', 'MaxAgeSeconds', maxAge);
      result.maxAgeSeconds = Number(maxAge);
    }
    return result;
  });
  const vary = single(root['ResponseVary']);
  if (vary !== undefined && vary !== 'true' && vary !== 'false') throw invalid('ResponseVary must be true or false.', '0034-00000002', 'ResponseVary', vary);
  return { rules, responseVary: vary === 'true' };
}

/** GetBucketCors's document: each rule's elements in OSS's order, absent ones left out, then ResponseVary. */
export function corsConfigurationXml(config: CorsConfiguration): XmlElement {
  return {
    CORSRule: config.rules.map((rule) => {
      const element: XmlElement = { AllowedOrigin: rule.allowedOrigins, AllowedMethod: rule.allowedMethods };
      if (rule.allowedHeaders.length > 0) element['AllowedHeader'] = rule.allowedHeaders;
      if (rule.exposeHeaders.length > 0) element['ExposeHeader'] = rule.exposeHeaders;
      if (rule.maxAgeSeconds !== undefined) element['MaxAgeSeconds'] = rule.maxAgeSeconds;
      return element;
    }),
    ResponseVary: config.responseVary ? 'true' : 'false',
  };
}

/** `*` alone matches anything; one `*` inside a pattern matches any run of characters there. */
function matches(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return value.length >= prefix.length + suffix.length && value.startsWith(prefix) && value.endsWith(suffix);
}

export interface CorsMatch {
  rule: CorsRule;
  /** `*` when the rule allows any origin, else the request's origin. */
  allowOrigin: string;
}

/**
 * The first rule that allows `origin` to use `method` and, for a preflight, every header in
 * `requestHeaders` (its Access-Control-Request-Headers, compared without regard to case).
 */
export function matchCorsRule(config: CorsConfiguration, origin: string, method: string, requestHeaders: readonly string[] = []): CorsMatch | undefined {
  for (const rule of config.rules) {
    const allowed = rule.allowedOrigins.find((pattern) => matches(pattern, origin));
    if (allowed === undefined || !rule.allowedMethods.includes(method)) continue;
    if (!requestHeaders.every((header) => rule.allowedHeaders.some((pattern) => matches(pattern, header.toLowerCase())))) continue;
    return { rule, allowOrigin: allowed === '*' ? '*' : origin };
  }
  return undefined;
}

/** The Access-Control-* headers a matched rule adds to a response (a preflight adds Allow-Headers itself). */
export function corsResponseHeaders({ rule, allowOrigin }: CorsMatch): Record<string, string> {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': allowOrigin,
    'Access-Control-Allow-Methods': rule.allowedMethods.join(', '),
  };
  if (rule.exposeHeaders.length > 0) headers['Access-Control-Expose-Headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = String(rule.maxAgeSeconds);
  return headers;
}

/** Sets a matched rule's Access-Control-* headers on the answer. */
export function setCorsHeaders(koa: Pick<Context, 'set'>, match: CorsMatch): void {
  for (const [name, value] of Object.entries(corsResponseHeaders(match))) koa.set(name, value);
}

/** A preflight's Access-Control-Request-Headers as a list (empty when absent). */
export function requestedHeaders(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
}
