import { XMLParser } from 'fast-xml-parser';
import { expect, test } from 'vitest';
import { OssError } from '../errors/oss-error.js';
import { errorXml } from './respond.js';

test('error XML: <Error> without a namespace, Code/Message/RequestId/HostId/EC first, then details', () => {
  const error = new OssError('NoSuchKey', { details: [['Key', 'a<&>"b']] });
  const xml = errorXml(error, '6B0648488B8A4C8000000002', 'bkt.oss-cn-hangzhou.aliyuncs.com');
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Error>')).toBe(true);
  expect(xml).not.toContain('xmlns');
  const names = [...xml.matchAll(/^\s*<(\w+)>/gm)].map((m) => m[1]);
  expect(names).toEqual(['Error', 'Code', 'Message', 'RequestId', 'HostId', 'EC', 'Key', 'RecommendDoc']);
  const parsed = new XMLParser().parse(xml).Error;
  expect(parsed).toMatchObject({
    Code: 'NoSuchKey',
    Message: 'The specified key does not exist.',
    RequestId: '6B0648488B8A4C8000000002',
    HostId: 'bkt.oss-cn-hangzhou.aliyuncs.com',
    EC: '0026-00000001',
  });
  expect(new XMLParser({ processEntities: true }).parse(xml).Error.Key).toBe('a<&>"b');
});

test('OssError takes status, message and EC from the catalogue, with overrides', () => {
  const error = new OssError('PositionNotEqualToLength', { headers: { 'x-oss-next-append-position': '3' } });
  expect([error.status, error.message, error.ec]).toEqual([409, 'Position is not equal to file length', '0026-00000016']);
  expect(error.headers).toEqual({ 'x-oss-next-append-position': '3' });
  const custom = new OssError('InvalidArgument', { message: 'Position must be a valid positive integer.', ec: '0016-00000502' });
  expect([custom.status, custom.message, custom.ec]).toEqual([400, 'Position must be a valid positive integer.', '0016-00000502']);
});
