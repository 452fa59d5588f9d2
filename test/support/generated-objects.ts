/**
 * Generated objects for the SDK tests: keys of any characters OSS allows, weighted towards the
 * ones encodings disagree on (spaces, `+`, `%`, `?`, `#`, non-ASCII, nested slashes), bodies, and
 * metadata and content headers with spaces and punctuation.
 */
import fc from 'fast-check';

/** Printable ASCII, which is what HTTP header values can carry as they are. */
export const printable = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength, maxLength });

/** A header value: printable, and trimmed (HTTP drops the whitespace around a value on the way). */
const headerValue = (minLength: number, maxLength: number): fc.Arbitrary<string> => printable(minLength, maxLength).map((v) => v.trim());

const segment = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.constantFrom(' ', '+', '%', '?', '#', '&', '=', ';', ':', '@', '~', '*', "'", '(', ')', '!', '$', ',', '[', ']'), weight: 2 },
    { arbitrary: fc.constantFrom('é', '中', '文', 'ß', '😀', 'Ω'), weight: 1 },
    { arbitrary: fc.constantFrom(...'abcXYZ019-_.'), weight: 4 },
  ),
  minLength: 1,
  maxLength: 12,
});

/**
 * Keys of one to four segments. None is '.' or '..': ali-oss's HTTP layer resolves those in the URL
 * after signing the key as given, so such keys fail against OSS too (README, ali-oss). Segments are
 * never empty, so no key starts with '/' (OSS's InvalidObjectName).
 */
export const objectKeys = fc
  .array(segment.filter((s) => s !== '.' && s !== '..'), { minLength: 1, maxLength: 4 })
  .map((segments) => segments.join('/'));

export interface GeneratedObject {
  key: string;
  body: Buffer;
  /** Lower-case names (metadata names are case-insensitive on the wire, and come back lower-case). */
  meta: Record<string, string>;
  contentType?: string;
  contentDisposition?: string;
}

export const generatedObjects: fc.Arbitrary<GeneratedObject> = fc.record({
  key: objectKeys,
  body: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
  meta: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), headerValue(0, 30), { maxKeys: 3 }),
  contentType: fc.option(
    fc.oneof(fc.constantFrom('text/plain; charset=utf-8', 'application/x-custom', 'image/png'), headerValue(1, 20).filter((v) => v.length > 0)),
    { nil: undefined },
  ),
  contentDisposition: fc.option(headerValue(1, 30).filter((v) => v.length > 0), { nil: undefined }),
});
