import { OssError } from '../errors/oss-error.js';
import type { XmlTree } from '../store/types.js';
import type { XmlElement } from '../util/xml.js';
import { booleanText, elementOf, elementsOf, textOf } from '../util/xml-fields.js';
import { invalidArgument, type ConfigurationKind } from './kind.js';

/**
 * A bucket's static website hosting (PutBucketWebsite): index and error documents and routing
 * rules. The emulator keeps and returns the configuration and does not serve the website (an
 * anonymous GET of the bucket's root still lists it, say). It checks what OSS documents checking;
 * the routing rules' many redirect settings are kept as sent once each rule has its number, a
 * Condition and a Redirect.
 */
export const bucketWebsite: ConfigurationKind<'website'> = {
  key: 'website',
  subresource: 'website',
  root: 'WebsiteConfiguration',
  names: { put: 'PutBucketWebsite', get: 'GetBucketWebsite', delete: 'DeleteBucketWebsite' },
  actions: { put: 'oss:PutBucketWebsite', get: 'oss:GetBucketWebsite', delete: 'oss:DeleteBucketWebsite' },
  none: { error: 'NoSuchWebsiteConfiguration' },

  read(root) {
    const website: { [name: string]: XmlTree } = {};
    const index = readIndexDocument(elementOf(root['IndexDocument']));
    if (index) website['IndexDocument'] = index;
    const error = readErrorDocument(elementOf(root['ErrorDocument']));
    if (error) website['ErrorDocument'] = error;
    const rules = readRoutingRules(elementOf(root['RoutingRules']));
    if (rules) website['RoutingRules'] = rules;
    if (Object.keys(website).length === 0) throw new OssError('MalformedXML');
    return website;
  },

  render: (website) => website as XmlElement,
};

/** The error OSS documents for a website setting it refuses: "HttpStatus is Invalid", EC 0019-00000002. */
const invalid = (name: string, value: string): OssError => invalidArgument(`${name} is Invalid`, '0019-00000002', name, value);

/** Suffix (required, not empty, no `/`; no dot needed: the Go SDK's test sets "myindex"), SupportSubDir, Type. */
function readIndexDocument(element: Record<string, unknown> | undefined): XmlTree | undefined {
  if (element === undefined) return undefined;
  const suffix = textOf(element['Suffix']) ?? '';
  if (suffix === '' || suffix.includes('/')) throw invalid('Suffix', suffix);
  const index: { [name: string]: XmlTree } = { Suffix: suffix };
  const subDir = textOf(element['SupportSubDir']);
  if (subDir !== undefined) index['SupportSubDir'] = String(booleanText(subDir, () => invalid('SupportSubDir', subDir)));
  const type = textOf(element['Type']);
  if (type !== undefined) {
    if (!/^[012]$/.test(type)) throw invalid('Type', type);
    index['Type'] = type;
  }
  return index;
}

/** Key (an empty one is no error document: the Go SDK sends `<Key></Key>` when it has none), HttpStatus 200 or 404. */
function readErrorDocument(element: Record<string, unknown> | undefined): XmlTree | undefined {
  if (element === undefined) return undefined;
  const key = textOf(element['Key']) ?? '';
  const status = textOf(element['HttpStatus']);
  if (status !== undefined && status !== '200' && status !== '404') throw invalid('HttpStatus', status);
  if (key === '') return undefined;
  return status === undefined ? { Key: key } : { Key: key, HttpStatus: status };
}

const MAX_ROUTING_RULES = 20;

/** RoutingRule elements, each with a unique positive RuleNumber, a Condition and a Redirect; kept as sent, in RuleNumber order. */
function readRoutingRules(element: Record<string, unknown> | undefined): XmlTree | undefined {
  if (element === undefined) return undefined;
  const rules = elementsOf(element['RoutingRule']);
  if (rules.length === 0) return undefined;
  if (rules.length > MAX_ROUTING_RULES) throw invalidArgument(`A website may have at most ${MAX_ROUTING_RULES} routing rules.`, '0019-00000002');
  const numbered = new Map<number, Record<string, unknown>>();
  for (const rule of rules) {
    const number = textOf(rule['RuleNumber']) ?? '';
    if (!/^[1-9]\d{0,8}$/.test(number) || numbered.has(Number(number))) throw invalid('RuleNumber', number);
    numbered.set(Number(number), rule);
    if (elementOf(rule['Condition']) === undefined) throw invalidArgument('A RoutingRule must have a Condition.', '0019-00000002');
    if (elementOf(rule['Redirect']) === undefined) throw invalidArgument('A RoutingRule must have a Redirect.', '0019-00000002');
  }
  const ordered = [...numbered.keys()].sort((a, b) => a - b).map((number) => numbered.get(number)!);
  return { RoutingRule: ordered as XmlTree[] };
}
