import { OssError } from '../errors/oss-error.js';

/**
 * Reading the fields of a parsed XML request body (parseXmlBody's tree), where the parser gives an
 * element that occurs once as a value and one that repeats as an array. What does not fit the
 * schema's shape (a nested element where text belongs, text where elements belong, an element
 * repeated that may occur once) is MalformedXML, never read as something else.
 */

/** An element's texts, whether it occurs once or several times; trimmed by the parser. */
export function textsOf(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => {
    if (typeof v !== 'string') throw new OssError('MalformedXML');
    return v;
  });
}

/** The text of an element that may occur at most once. */
export function textOf(value: unknown): string | undefined {
  const values = textsOf(value);
  if (values.length > 1) throw new OssError('MalformedXML');
  return values[0];
}

/** The children of an element that holds elements, whether it occurs once or several times. Empty (`<A/>`) has none. */
export function elementsOf(value: unknown): Array<Record<string, unknown>> {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => {
    if (v === '') return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new OssError('MalformedXML');
    return v as Record<string, unknown>;
  });
}

/** An element that holds elements and may occur at most once. */
export function elementOf(value: unknown): Record<string, unknown> | undefined {
  const elements = elementsOf(value);
  if (elements.length > 1) throw new OssError('MalformedXML');
  return elements[0];
}

/** `true` or `false` in any case (oss2 writes Python's `True` and `False`); anything else is `invalid`'s error. */
export function booleanText(text: string, invalid: () => OssError): boolean {
  if (!/^(true|false)$/i.test(text)) throw invalid();
  return text.toLowerCase() === 'true';
}

/** Characters XML 1.0 cannot carry even as references: C0 controls but tab, line feed and carriage return. */
const UNWRITABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/**
 * Refuses a document that mixes text with elements (text where only elements belong would be
 * dropped, and kept text echoed beside them), or whose text holds a character an answer could not
 * carry: the parser decodes `&#x1;`, which a GET would then write raw, as XML no client can read.
 */
export function checkDocumentText(node: unknown, invalidCharacter: () => OssError): void {
  if (typeof node === 'string') {
    if (UNWRITABLE.test(node)) throw invalidCharacter();
    return;
  }
  if (Array.isArray(node)) {
    for (const item of node) checkDocumentText(item, invalidCharacter);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [name, value] of Object.entries(node)) {
    if (name === '#text') throw new OssError('MalformedXML');
    checkDocumentText(value, invalidCharacter);
  }
}
