import { CONFIGURATION_KINDS } from '../configs/index.js';
import { invalidArgument, type AnyConfigurationKind } from '../configs/kind.js';
import { OssError } from '../errors/oss-error.js';
import { bodyIdleLimit, readSmallBody } from '../http/body.js';
import type { OssContext } from '../http/context.js';
import { sendEmpty, sendXml } from '../http/respond.js';
import type { XmlElement } from '../util/xml.js';
import { decodeXmlBody, parseXmlBody } from '../util/xml.js';
import { checkDocumentText } from '../util/xml-fields.js';

/**
 * The operations on a bucket's configurations (emulator/configs/): PUT replaces the configuration,
 * GET reads it back (or what OSS answers for a bucket without one), DELETE removes it and answers
 * 204 whether or not the bucket had one, as OSS does (SDK clean-up code calls these). (WORM retention
 * has operations of its own: bucket-worm.ts.)
 * Sources: docs/divergences.md.
 */
export interface ConfigurationOperation {
  name: string;
  method: 'PUT' | 'GET' | 'DELETE';
  subresource: string;
  /** The RAM action a policy must allow. */
  action: string;
  handler: (ctx: OssContext) => void | Promise<void>;
}

function operationsOf(kind: AnyConfigurationKind): ConfigurationOperation[] {
  const { subresource, names, actions } = kind;
  const operations: ConfigurationOperation[] = [
    { name: names.put, method: 'PUT', subresource, action: actions.put, handler: (ctx) => putConfiguration(ctx, kind) },
    { name: names.get, method: 'GET', subresource, action: actions.get, handler: (ctx) => getConfiguration(ctx, kind) },
  ];
  if (names.delete !== undefined && actions.delete !== undefined) {
    operations.push({ name: names.delete, method: 'DELETE', subresource, action: actions.delete, handler: kind.remove ?? ((ctx) => deleteConfiguration(ctx, kind)) });
  }
  return operations;
}

/** A missing bucket is refused before the body is read; the store checks it again as it writes. */
async function putConfiguration(ctx: OssContext, kind: AnyConfigurationKind): Promise<void> {
  const name = ctx.target.bucket!;
  ctx.store.requireBucket(name);
  const root = parseXmlBody(decodeXmlBody(await readSmallBody(ctx.koa.req, bodyIdleLimit(ctx.config))), kind.root);
  checkDocumentText(root, kind.invalidCharacter ?? (() => invalidArgument('A configuration may not hold control characters.', undefined)));
  ctx.store.setBucketConfiguration(name, kind.key, kind.read(root, ctx));
  sendEmpty(ctx.koa);
}

function getConfiguration(ctx: OssContext, kind: AnyConfigurationKind): void {
  const bucket = ctx.store.requireBucket(ctx.target.bucket!);
  const value = bucket.configurations[kind.key];
  if (value !== undefined) return sendXml(ctx.koa, kind.root, (kind.render as (v: typeof value) => XmlElement)(value));
  if ('error' in kind.none) throw new OssError(kind.none.error, { details: [['BucketName', bucket.name]] });
  sendXml(ctx.koa, kind.root, kind.none.document);
}

function deleteConfiguration(ctx: OssContext, kind: AnyConfigurationKind): void {
  ctx.store.setBucketConfiguration(ctx.target.bucket!, kind.key, undefined);
  sendEmpty(ctx.koa, 204);
}

export const CONFIGURATION_OPERATIONS: readonly ConfigurationOperation[] = CONFIGURATION_KINDS.flatMap(operationsOf);
