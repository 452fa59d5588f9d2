/**
 * Plain-data description of a request, shared by the client (which signs it)
 * and the emulator (which recomputes the signature to verify it).
 */
export interface SigningRequest {
  /** HTTP method as sent: 'GET', 'PUT', ... */
  method: string;
  /** Resolved bucket (may come from Host); undefined for service requests. */
  bucket?: string;
  /** Raw, decoded object key (UTF-8); undefined for bucket/service requests. */
  key?: string;
  /**
   * Decoded query parameters in arrival order.
   * `null` = bare key (`?append`), `''` = `append=`.
   */
  query: ReadonlyArray<readonly [string, string | null]>;
  /** Lower-case header names -> value (duplicates already joined with ','). */
  headers: Readonly<Record<string, string | undefined>>;
}

/** A query parameter produced by a presign helper, in the order it should be appended. */
export type QueryParam = readonly [string, string];
