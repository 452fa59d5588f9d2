import type { ErrorCode } from '../errors/catalogue.js';
import { OssError } from '../errors/oss-error.js';
import type { OssContext } from '../http/context.js';
import type { BucketConfigurations } from '../store/types.js';
import type { XmlElement } from '../util/xml.js';

/**
 * One kind of bucket configuration that PUT sets, GET reads back and (for most) DELETE removes:
 * `PUT/GET/DELETE /?<subresource>` with a `<root>` document both ways. ops/bucket-config.ts turns
 * each into its operations; this module says what the document holds and how OSS checks it.
 */
export interface ConfigurationKind<K extends keyof BucketConfigurations = keyof BucketConfigurations> {
  key: K;
  subresource: string;
  /** The root element of the PUT body and of GET's answer. */
  root: string;
  /** Operation names and RAM actions: `Put…`, `Get…`, `Delete…` (none when OSS has no DELETE for it). */
  names: { put: string; get: string; delete?: string };
  actions: { put: string; get: string; delete?: string };
  /**
   * A PUT body's root element, checked as OSS checks it (throws its errors); undefined when the body
   * says "none" (an empty `<BucketLoggingStatus/>` turns logging off). May look at other buckets.
   */
  read(root: Record<string, unknown>, ctx: OssContext): BucketConfigurations[K] | undefined;
  /** GET's document for a bucket that has one. */
  render(value: NonNullable<BucketConfigurations[K]>): XmlElement;
  /** DELETE's handler, where it does more than remove the whole configuration (DeleteBucketTags may name keys). */
  remove?: (ctx: OssContext) => void;
  /** The refusal of a control character in the document (by default the generic InvalidArgument). */
  invalidCharacter?: () => OssError;
  /** GET for a bucket without one: the 404 OSS answers, or the document it shows for a new bucket. */
  none: { error: ErrorCode } | { document: XmlElement };
}

/** Any one of the kinds (a union, so that a list of them needs no cast). */
export type AnyConfigurationKind = { [K in keyof BucketConfigurations]-?: ConfigurationKind<K> }[keyof BucketConfigurations];

/** The configuration errors OSS documents by EC only: the code is InvalidArgument, the message ours. */
export function invalidArgument(message: string, ec: string | undefined, name?: string, value?: string): OssError {
  return new OssError('InvalidArgument', {
    message,
    ...(ec !== undefined ? { ec } : {}),
    details: name === undefined ? [] : [['ArgumentName', name], ['ArgumentValue', value ?? '']],
  });
}
