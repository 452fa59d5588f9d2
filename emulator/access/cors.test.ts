import { describe, expect, it } from 'vitest';
import { corsResponseHeaders, matchCorsRule, readCorsConfiguration, requestedHeaders, type CorsConfiguration } from './cors.js';

const config = (...rules: CorsConfiguration['rules']): CorsConfiguration => ({ rules, responseVary: false });
const rule = (allowedOrigins: string[], allowedMethods: string[], allowedHeaders: string[] = [], exposeHeaders: string[] = []) => ({
  allowedOrigins,
  allowedMethods,
  allowedHeaders,
  exposeHeaders,
});

describe('matchCorsRule', () => {
  it('a wildcard origin matches any run of characters where it stands, never fewer characters than the pattern has', () => {
    const rules = config(rule(['http://*.example.com', 'a*a'], ['GET']));
    expect(matchCorsRule(rules, 'http://a.b.example.com', 'GET')?.allowOrigin).toBe('http://a.b.example.com');
    expect(matchCorsRule(rules, 'http://.example.com', 'GET')).toBeDefined();
    expect(matchCorsRule(rules, 'https://a.example.com', 'GET')).toBeUndefined();
    expect(matchCorsRule(rules, 'http://example.com', 'GET')).toBeUndefined();
    expect(matchCorsRule(rules, 'a', 'GET')).toBeUndefined(); // `a*a` needs two characters
    expect(matchCorsRule(rules, 'aa', 'GET')).toBeDefined();
  });

  it('origins and methods match case-sensitively, requested headers without regard to case; every header must be allowed', () => {
    const rules = config(rule(['http://App.example.com'], ['PUT'], ['x-oss-meta-*', 'content-type']));
    expect(matchCorsRule(rules, 'http://app.example.com', 'PUT')).toBeUndefined();
    expect(matchCorsRule(rules, 'http://App.example.com', 'put')).toBeUndefined();
    expect(matchCorsRule(rules, 'http://App.example.com', 'PUT', ['X-Oss-Meta-A', 'Content-Type'])).toBeDefined();
    expect(matchCorsRule(rules, 'http://App.example.com', 'PUT', ['X-Oss-Meta-A', 'x-oss-date'])).toBeUndefined();
  });

  it('the first rule that matches wins; `*` as the origin is answered as `*`', () => {
    const first = rule(['*'], ['GET'], [], ['ETag']);
    const second = rule(['http://a.example.com'], ['GET']);
    const match = matchCorsRule(config(first, second), 'http://a.example.com', 'GET')!;
    expect(match.rule).toBe(first);
    expect(corsResponseHeaders(match)).toEqual({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Expose-Headers': 'ETag' });
  });
});

describe('readCorsConfiguration', () => {
  it('takes single elements and lists alike, trims values, lower-cases allowed headers, reads MaxAgeSeconds and ResponseVary', () => {
    const read = readCorsConfiguration({
      CORSRule: { AllowedOrigin: ' * ', AllowedMethod: ['GET', 'HEAD'], AllowedHeader: 'X-Oss-Date', ExposeHeader: ['ETag', ''], MaxAgeSeconds: '0' },
      ResponseVary: 'true',
    });
    expect(read).toEqual({ rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'], allowedHeaders: ['x-oss-date'], exposeHeaders: ['ETag'], maxAgeSeconds: 0 }], responseVary: true });
  });

  it('refuses a value that is not text (the parser gives everything else as an object or number): MalformedXML', () => {
    expect(() => readCorsConfiguration({ CORSRule: { AllowedOrigin: { a: 'x' }, AllowedMethod: 'GET' } })).toThrow(expect.objectContaining({ code: 'MalformedXML' }));
    expect(() => readCorsConfiguration({ CORSRule: { AllowedOrigin: '*', AllowedMethod: 'GET', MaxAgeSeconds: 5 } })).toThrow(expect.objectContaining({ code: 'MalformedXML' }));
  });

  it('refuses a rule that is not an element, with the EC of a rule without an origin', () => {
    expect(() => readCorsConfiguration({ CORSRule: 'text' })).toThrow(expect.objectContaining({ code: 'InvalidArgument', ec: '0034-00000002' }));
  });
});

describe('requestedHeaders', () => {
  it('splits Access-Control-Request-Headers on commas, dropping blanks', () => {
    expect(requestedHeaders(' authorization, ,x-oss-date,')).toEqual(['authorization', 'x-oss-date']);
    expect(requestedHeaders(undefined)).toEqual([]);
  });
});
