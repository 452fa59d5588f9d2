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

/**
 * Elements of different names in the order given, where an element object cannot say it (one key
 * per name): ListObjectVersions interleaves Version and DeleteMarker. The key holding it is not written.
 */
export class XmlSequence {
  constructor(readonly children: ReadonlyArray<readonly [string, XmlElement]>) {}
}

/** A value for renderXml: text, a nested element, a repeated element (array), or a sequence. */
export type XmlValue = string | number | boolean | XmlElement | XmlElement[] | string[] | XmlSequence;
export interface XmlElement {
  [name: string]: XmlValue | undefined;
}

export function renderXml(root: string, body: XmlElement): string {
  return DECLARATION + build({ [root]: body });
}

/**
 * A sequence is built as an empty placeholder element named by its index, then replaced by its
 * children. No text can fake one: text never holds a raw `<`.
 */
const SEQUENCE_PLACEHOLDER = /^( *)<ossemu-sequence-(\d+)><\/ossemu-sequence-\2>\n/gm;

function build(document: XmlElement): string {
  const sequences: XmlSequence[] = [];
  const xml: string = builder().build(dropUndefined(document, sequences));
  if (sequences.length === 0) return xml;
  // Only lines that start an element are indented: a line break inside text (a key may hold one) is kept as it is.
  return xml.replace(SEQUENCE_PLACEHOLDER, (_line, indent: string, index: string) =>
    sequences[Number(index)]!.children.map(([name, child]) => build({ [name]: child }).replace(/^(?=<)/gm, indent)).join(''),
  );
}

function dropUndefined(element: XmlElement, sequences: XmlSequence[]): XmlElement {
  const out: XmlElement = {};
  for (const [name, value] of Object.entries(element)) {
    if (value === undefined) continue;
    if (value instanceof XmlSequence) out[`ossemu-sequence-${sequences.push(value) - 1}`] = '';
    else if (Array.isArray(value)) out[name] = value.map((v) => (typeof v === 'object' ? dropUndefined(v, sequences) : v)) as XmlValue;
    else out[name] = typeof value === 'object' ? dropUndefined(value, sequences) : value;
  }
  return out;
}

let cachedParser: FastXmlParser.XMLParser | undefined;
const parser = (): FastXmlParser.XMLParser =>
  (cachedParser ??= new (fxp().XMLParser)({
    ignoreAttributes: true,
    parseTagValue: false,
    // Text is kept as sent: an object key or a tag may begin or end with spaces (see VERBATIM).
    trimValues: false,
    processEntities: true,
    // Besides the five predefined entities, this decodes character references (`&#39;`, `&#x9;`),
    // which ali-oss and Go's encoding/xml write for quotes and control characters. It would also
    // decode HTML's named entities (`&nbsp;`), which XML does not define: checkReferences refuses
    // every reference but those first, wherever the parser could see one.
    htmlEntities: true,
    isArray: (_name, jpath) => REPEATED.has(String(jpath)),
  }));

/**
 * Elements whose text is user data, kept exactly as sent (object keys, tag keys and values, the key
 * prefixes of lifecycle rules and of a log target). Every other element holds a name, number or
 * flag, read with surrounding white space removed.
 */
const VERBATIM = new Set(['Key', 'Value', 'Prefix', 'TargetPrefix']);

/** The five entities XML predefines; any other `&name;` is an error in a document without a DTD. */
const PREDEFINED_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Whether a character reference names a character a document may hold: XML 1.1's Char, which
 * unlike XML 1.0 takes the control characters U+0001–U+001F as references. The Go SDKs write a
 * key's control characters as `&#x01;`…, and their tests against OSS delete such keys with
 * DeleteMultipleObjects. NUL and the surrogates stay refused.
 */
function isReferableChar(code: number): boolean {
  return (code >= 0x1 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/**
 * The longest reference taken (`&#x10FFFF;` is 10 characters between `&` and `;`). The parser
 * leaves longer ones, all-zero padded yet valid XML, as text: refused rather than misread.
 */
const MAX_REFERENCE_CHARS = 12;

/**
 * Refuses references an XML parser would (undefined entities, references to characters XML
 * forbids) and those the parser would leave undecoded (over MAX_REFERENCE_CHARS).
 */
function checkReferences(text: string): void {
  for (const [, name] of withoutLiteralSections(text).matchAll(/&([^;&]*);/g)) {
    if (name!.length > MAX_REFERENCE_CHARS) throw new OssError('MalformedXML');
    const numeric = /^#(?:(\d+)|x([0-9a-fA-F]+))$/.exec(name!);
    const valid = numeric ? isReferableChar(numeric[1] !== undefined ? Number(numeric[1]) : parseInt(numeric[2]!, 16)) : PREDEFINED_ENTITIES.has(name!);
    if (!valid) throw new OssError('MalformedXML');
  }
}

/** The sections whose text is literal, by how they open and close. */
const LITERAL_SECTIONS: ReadonlyArray<readonly [open: string, close: string]> = [
  ['<![CDATA[', ']]>'],
  ['<!--', '-->'],
  ['<?', '?>'],
];

/** The text without its CDATA sections, comments and processing instructions, whose `&` is no reference. */
function withoutLiteralSections(text: string): string {
  return rewriteOutsideLiteralSections(text, (part) => part, false);
}

/**
 * The text with `rewrite` applied to what lies outside CDATA sections, comments and processing
 * instructions; those sections are kept as they are, or dropped. Whichever opens first wins (a PI
 * may contain "<![CDATA[", and so on). An opening never closed is no section: the text after it
 * is rewritten like any other (the validator lets some through, `<?>` in an element, `<!--` in an
 * attribute value). A tag is passed over whole, so what its attribute values hold opens nothing;
 * a `<` in one (which XML forbids, and the validator lets through) makes the document malformed.
 * One pass with indexOf, each closing looked for past its last miss at most once: a body of a
 * thousand unclosed `<!--` must cost no more than any other body of its size.
 */
function rewriteOutsideLiteralSections(text: string, rewrite: (part: string) => string, keepSections: boolean): string {
  let out = '';
  let from = 0;
  /** Closings indexOf found nowhere after some point: nowhere after any later point either. */
  const absent = new Set<string>();
  for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at + 1)) {
    const section = LITERAL_SECTIONS.find(([open]) => text.startsWith(open, at));
    if (!section) {
      at = endOfTag(text, at);
      continue;
    }
    if (absent.has(section[1])) continue;
    const end = text.indexOf(section[1], at + section[0].length);
    if (end === -1) {
      absent.add(section[1]);
      continue;
    }
    out += rewrite(text.slice(from, at));
    if (keepSections) out += text.slice(at, end + section[1].length);
    from = end + section[1].length;
    at = from - 1;
  }
  return out + rewrite(text.slice(from));
}

/**
 * Where the tag opening at `at` ends (its `>`), past quoted attribute values, which may hold `>`.
 * A `<` in one, or a tag or value never closed, is MalformedXML.
 */
function endOfTag(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '>') return i;
    if (c !== '"' && c !== "'") continue;
    const close = text.indexOf(c, i + 1);
    if (close === -1 || text.slice(i, close).includes('<')) throw new OssError('MalformedXML');
    i = close;
  }
  throw new OssError('MalformedXML');
}

/**
 * The parser drops references to control characters (`&#x01;`, and DEL and C1 too), which the Go
 * SDKs write for such characters in a key. Before parsing, each becomes CONTROL_MARK and its two
 * hex digits, which `tidy` turns back into the character. CONTROL_MARK (U+FFFF) is no XML
 * character, so a body that holds one is refused rather than misread.
 */
const CONTROL_MARK = '\uFFFF';
// As many digits as checkReferences lets through (zero-padded references are references too).
const CONTROL_REFERENCE = /&#(?:x([0-9a-fA-F]+)|(\d+));/g;
const MARKED_CONTROL = /\uFFFF([0-9a-f]{2})/g;

function markControlReferences(text: string): string {
  return rewriteOutsideLiteralSections(
    text,
    (part) =>
      part.replace(CONTROL_REFERENCE, (reference, hex: string | undefined, decimal: string | undefined) => {
        const code = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
        const control = (code >= 0x1 && code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd) || (code >= 0x7f && code <= 0x9f);
        return control ? CONTROL_MARK + code.toString(16).padStart(2, '0') : reference;
      }),
    true,
  );
}

/**
 * The text without the white space XML knows (space, tab, CR, LF) at either end. String.trim would
 * also take U+00A0 and, now that references to them are decoded, U+000B and U+000C: `<Quiet>`
 * holding `&#x0b;true` is not `true`. Index loops, as a pattern anchored at the end would be
 * quadratic on a long run of spaces.
 */
function trimXmlSpace(text: string): string {
  let start = 0;
  while (start < text.length && isXmlSpace(text[start]!)) start++;
  const end = start === text.length ? start : endWithoutSpace(text, text.length);
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Space, tab, CR or LF: XML's white space (production S). */
function isXmlSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/** `end` moved back over XML white space. */
function endWithoutSpace(text: string, end: number): number {
  while (end > 0 && isXmlSpace(text[end - 1]!)) end--;
  return end;
}

/**
 * Drops the white space between elements (the parser keeps it as `#text` once values are not
 * trimmed) and trims the text of every element not in VERBATIM.
 */
function tidy(node: unknown, name: string): unknown {
  if (typeof node === 'string') {
    const text = node.includes(CONTROL_MARK) ? node.replace(MARKED_CONTROL, (_mark, hex: string) => String.fromCharCode(parseInt(hex, 16))) : node;
    return VERBATIM.has(name) ? text : trimXmlSpace(text);
  }
  if (Array.isArray(node)) return node.map((item) => tidy(item, name));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [child, value] of Object.entries(node)) {
    if (child === '#text' && typeof value === 'string' && trimXmlSpace(value) === '') continue;
    out[child] = tidy(value, child);
  }
  return out;
}

/** Paths of elements that may repeat, so a single occurrence still parses as an array. */
const REPEATED = new Set([
  'Tagging.TagSet.Tag',
  'Delete.Object',
  'CompleteMultipartUpload.Part',
]);

/** What may follow the root element besides white space: comments and processing instructions. */
const TRAILERS = LITERAL_SECTIONS.filter(([open]) => open !== '<![CDATA[');

/**
 * Whether the document ends with its root element, then only comments, processing instructions
 * and white space. The validator lets text after a self-closing root through (`<Tagging/>junk`).
 * Read backwards from the end with lastIndexOf, never with a regular expression that the body's
 * size could make quadratic.
 */
function endsWithRoot(text: string, root: string): boolean {
  let end = endWithoutSpace(text, text.length);
  for (;;) {
    const trailer = TRAILERS.find(([, close]) => text.endsWith(close, end));
    if (!trailer) break;
    const [open, close] = trailer;
    const last = end - close.length - open.length; // where the trailer's opening starts at the latest
    const start = last < 0 ? -1 : text.lastIndexOf(open, last);
    // The trailer is one section only if it holds no earlier close (`<!-- a --> b -->` is not).
    if (start === -1 || text.indexOf(close, start + open.length) !== end - close.length) return false;
    end = endWithoutSpace(text, start);
  }
  if (text.endsWith(`</${root}>`, end)) return true;
  if (!text.endsWith('/>', end)) return false;
  const tag = text.slice(text.lastIndexOf('<', end - 1), end);
  return new RegExp(`^<${root}(?:\\s[^>]*)?/>$`).test(tag);
}

/**
 * A request body's XML text. Bytes that are not UTF-8 make the document malformed, as they do for
 * any XML parser: decoding them to U+FFFD instead once let a DeleteMultipleObjects naming key
 * `a\xFFb` delete another object, `a\uFFFDb`. A leading byte-order mark is dropped.
 */
export function decodeXmlBody(raw: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new OssError('MalformedXML');
  }
}

/** Parses a request body; anything not well-formed, or without the expected root, is MalformedXML. */
export function parseXmlBody(text: string, expectedRoot: string): Record<string, unknown> {
  if (text.trim() === '' || !endsWithRoot(text, expectedRoot)) throw new OssError('MalformedXML');
  let doc: Record<string, unknown>;
  try {
    if (text.includes(CONTROL_MARK) || fxp().XMLValidator.validate(text) !== true) throw new OssError('MalformedXML');
    checkReferences(text);
    doc = tidy(parser().parse(markControlReferences(text)), '') as Record<string, unknown>;
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
  if (typeof root === 'object' && root !== null) return root as Record<string, unknown>;
  // A root holding only text: kept as `#text`, like text beside elements, so a reader can refuse it.
  return root === '' ? {} : { '#text': root };
}
