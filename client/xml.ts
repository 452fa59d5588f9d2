/**
 * XML in and out. Parsing keeps every value a string (no number coercion: keys like `0123`
 * and ETags must survive) and never throws; building escapes text.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed element: text is a string, children are objects, repeated children are arrays. */
export type XmlObject = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

/** True when a response body should be parsed as XML (by Content-Type, or by its first byte). */
export function looksLikeXml(contentType: string | undefined, body: Buffer): boolean {
  if (body.length === 0) return false;
  if (contentType !== undefined && /[/+]xml\b/i.test(contentType)) return true;
  return body.subarray(0, 64).toString('utf8').trimStart().startsWith('<');
}

/** The parsed document (root element included), or undefined when the text is not well-formed XML. */
export function parseXml(text: string): XmlObject | undefined {
  if (XMLValidator.validate(text) !== true) return undefined;
  try {
    const doc = parser.parse(text) as XmlObject;
    delete doc['?xml'];
    return doc;
  } catch {
    return undefined;
  }
}

/** The value as an array: undefined → [], a single element → [it]. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** A child element's text, or undefined when absent or not text. */
export function text(element: unknown, name: string): string | undefined {
  if (typeof element !== 'object' || element === null) return undefined;
  const value = (element as XmlObject)[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A child element as an object ({} when absent or empty). */
export function child(element: unknown, name: string): XmlObject {
  if (typeof element !== 'object' || element === null) return {};
  const value = (element as XmlObject)[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as XmlObject) : {};
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
