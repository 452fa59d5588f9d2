import type * as FastXmlParser from 'fast-xml-parser';
import { createRequire } from 'node:module';
import { OssError } from '../errors/oss-error.js';

/**
 * XML in and out. Responses never carry a namespace (oss2 and the Java SDK find nothing under
 * one); element order is the insertion order of the object given.
 *
 * fast-xml-parser is loaded on first use rather than at start-up: the emulator must be healthy
 * fast, and its health endpoint and appends need no XML.
 */
const require = createRequire(import.meta.url);
let xmlLibrary: typeof FastXmlParser | undefined;
const fxp = (): typeof FastXmlParser => (xmlLibrary ??= require('fast-xml-parser') as typeof FastXmlParser);

/**
 * Text is escaped as OSS escapes it: only `&`, `<` and `>`. Quotes stay literal, so an ETag reads
 * `<ETag>"5B3C…"</ETag>` as in OSS's responses, not `&quot;5B3C…&quot;` (the same to an XML parser,
 * not to a test that compares text).
 */
const escapeText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

let cachedBuilder: FastXmlParser.XMLBuilder | undefined;
const builder = (): FastXmlParser.XMLBuilder =>
  (cachedBuilder ??= new (fxp().XMLBuilder)({
    format: true,
    indentBy: '  ',
    ignoreAttributes: false,
    suppressEmptyNode: false,
    processEntities: false,
    tagValueProcessor: (_name: string, value: unknown) => (typeof value === 'string' ? escapeText(value) : value),
  }));
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A value for renderXml: text, a nested element, or a repeated element (array). */
export type XmlValue = string | number | boolean | XmlElement | XmlElement[] | string[];
export interface XmlElement {
  [name: string]: XmlValue | undefined;
}

export function renderXml(root: string, body: XmlElement): string {
  return DECLARATION + builder().build({ [root]: dropUndefined(body) });
}

function dropUndefined(element: XmlElement): XmlElement {
  const out: XmlElement = {};
  for (const [name, value] of Object.entries(element)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) out[name] = value.map((v) => (typeof v === 'object' ? dropUndefined(v) : v)) as XmlValue;
    else out[name] = typeof value === 'object' ? dropUndefined(value) : value;
  }
  return out;
}

let cachedParser: FastXmlParser.XMLParser | undefined;
const parser = (): FastXmlParser.XMLParser =>
  (cachedParser ??= new (fxp().XMLParser)({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    processEntities: true,
    isArray: (_name, jpath) => REPEATED.has(String(jpath)),
  }));

/** Paths of elements that may repeat, so a single occurrence still parses as an array. */
const REPEATED = new Set([
  'Tagging.TagSet.Tag',
  'Delete.Object',
  'CompleteMultipartUpload.Part',
]);

/**
 * Whether the document ends with its root element, then only comments, processing instructions
 * and white space. The validator lets text after a self-closing root through (`<Tagging/>junk`).
 */
function endsWithRoot(text: string, root: string): boolean {
  let tail = text.trimEnd();
  for (let trailer = /(<!--(?:(?!-->)[\s\S])*-->|<\?(?:(?!\?>)[\s\S])*\?>)$/; trailer.test(tail); ) tail = tail.replace(trailer, '').trimEnd();
  return tail.endsWith(`</${root}>`) || new RegExp(`<${root}(?:\\s[^>]*)?/>$`).test(tail);
}

/** Parses a request body; anything not well-formed, or without the expected root, is MalformedXML. */
export function parseXmlBody(text: string, expectedRoot: string): Record<string, unknown> {
  if (text.trim() === '' || !endsWithRoot(text, expectedRoot)) throw new OssError('MalformedXML');
  let doc: Record<string, unknown>;
  try {
    if (fxp().XMLValidator.validate(text) !== true) throw new OssError('MalformedXML');
    doc = parser().parse(text) as Record<string, unknown>;
  } catch {
    // Besides malformed text, the parser refuses external entities, very deep nesting and element
    // names such as __proto__ or constructor: all of them the client's mistake, never a 500.
    throw new OssError('MalformedXML');
  }
  const root = doc[expectedRoot];
  // The validator lets several self-closing roots through (`<Tagging/><Tagging/>`); the parser then
  // gives an array, or other top-level names. A document has exactly one root element.
  const roots = Object.keys(doc).filter((name) => name !== '?xml');
  if (root === undefined || Array.isArray(root) || roots.length !== 1) throw new OssError('MalformedXML');
  return typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {};
}
