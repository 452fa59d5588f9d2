import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { OssError } from '../errors/oss-error.js';

/**
 * XML in and out. Responses never carry a namespace (oss2 and the Java SDK find nothing under
 * one); element order is the insertion order of the object given.
 */
const builder = new XMLBuilder({ format: true, indentBy: '  ', ignoreAttributes: false, suppressEmptyNode: false });
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A value for renderXml: text, a nested element, or a repeated element (array). */
export type XmlValue = string | number | boolean | XmlElement | XmlElement[] | string[];
export interface XmlElement {
  [name: string]: XmlValue | undefined;
}

export function renderXml(root: string, body: XmlElement): string {
  return DECLARATION + builder.build({ [root]: dropUndefined(body) });
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

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
});

/** Paths of elements that may repeat, so a single occurrence still parses as an array. */
const REPEATED = new Set([
  'Tagging.TagSet.Tag',
  'Delete.Object',
  'CompleteMultipartUpload.Part',
]);

/** Parses a request body; anything not well-formed, or without the expected root, is MalformedXML. */
export function parseXmlBody(text: string, expectedRoot: string): Record<string, unknown> {
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw new OssError('MalformedXML');
  const doc = parser.parse(text) as Record<string, unknown>;
  const root = doc[expectedRoot];
  // The validator lets several self-closing roots through (`<Tagging/><Tagging/>`); the parser then
  // gives an array, or other top-level names. A document has exactly one root element.
  const roots = Object.keys(doc).filter((name) => name !== '?xml');
  if (root === undefined || Array.isArray(root) || roots.length !== 1) throw new OssError('MalformedXML');
  return typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {};
}
