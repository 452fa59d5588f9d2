/** RFC 1123 date as used in Date, Last-Modified and Expires headers. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** ISO 8601 as in listing XML (2024-01-01T00:00:00.000Z): milliseconds always zero. */
export function isoDate(ms: number): string {
  // OSS gives times in XML to the second: `2014-02-07T18:12:43.000Z`.
  return new Date(toSecond(ms)).toISOString();
}

/**
 * The three forms RFC 9110 §5.6.7 lets a recipient accept: IMF-fixdate (`Sun, 06 Nov 1994
 * 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37
 * 1994`). Date.parse alone takes far more (`1`, `12/31/2099`), which would turn garbage in a
 * conditional header into a condition.
 */
const HTTP_DATE_FORMS = [
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

/** Parses an HTTP date in one of its three forms; undefined when absent or anything else. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (!HTTP_DATE_FORMS.some((form) => form.test(text))) return undefined;
  // asctime carries no zone: it is GMT.
  const ms = Date.parse(HTTP_DATE_FORMS[2]!.test(text) ? `${text} GMT` : text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** OSS keeps modification times to the second: a PUT's Date header equals the object's Last-Modified. */
export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
