import type { CaseDefinition } from '../types.js';
import { ACCESS_CASES } from './access.js';
import { APPEND_CASES } from './append.js';
import { AUTH_CASES } from './auth.js';
import { BUCKET_CASES } from './buckets.js';
import { HEAD_CASES } from './head.js';
import { MULTIPART_CASES } from './multipart.js';
import { OBJECT_CASES } from './objects.js';
import { VERSIONING_CASES } from './versioning.js';

export const ALL_CASES: readonly CaseDefinition[] = [...APPEND_CASES, ...HEAD_CASES, ...OBJECT_CASES, ...MULTIPART_CASES, ...AUTH_CASES, ...ACCESS_CASES, ...BUCKET_CASES, ...VERSIONING_CASES];
