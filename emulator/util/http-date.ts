/** RFC 1123 date as used in Date, Last-Modified and Expires headers. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** ISO 8601 with milliseconds, as in listing XML (2024-01-01T00:00:00.000Z). */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** Parses an HTTP date; undefined when absent or not a date. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** OSS keeps modification times to the second: a PUT's Date header equals the object's Last-Modified. */
export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
