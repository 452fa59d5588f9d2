/**
 * Node reads header bytes as Latin-1, but clients that send non-ASCII text in a header (SDKs
 * signing x-oss-meta-* values, the Go SDK 1.5.0 naming a copy source unescaped) send it as UTF-8.
 * This is the value's text read as UTF-8 where its bytes are valid UTF-8, else the value as it came.
 */
export function headerText(value: string): string {
  if (!NON_ASCII.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : value;
}

const NON_ASCII = /[^\x00-\x7f]/;
