import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order; PRAGMA user_version records how many have run.
 * Append new migrations to the end; never edit one that has shipped.
 *
 * SQLite holds metadata only. Object bytes live in a byte store (extent files, or memory);
 * `extents` map (blob, offset) to `length` bytes at `position` in byte-store source `source`.
 * A blob is the byte sequence of one object version; an append inserts extents at its end.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE buckets (
    name          TEXT PRIMARY KEY,
    created_at    INTEGER NOT NULL,
    acl           TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    redundancy    TEXT NOT NULL
  );
  CREATE TABLE blobs (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    state TEXT NOT NULL CHECK (state IN ('live', 'garbage'))
  );
  CREATE INDEX blobs_by_state ON blobs(state) WHERE state <> 'live';
  CREATE TABLE extents (
    blob_id  INTEGER NOT NULL,
    offset   INTEGER NOT NULL,
    length   INTEGER NOT NULL,
    source   INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (blob_id, offset)
  ) WITHOUT ROWID;
  CREATE INDEX extents_by_source ON extents(source, position);
  CREATE TABLE objects (
    bucket        TEXT NOT NULL,
    key           TEXT NOT NULL,
    type          TEXT NOT NULL,
    blob_id       INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    crc64         TEXT NOT NULL,
    etag          TEXT NOT NULL,
    content_md5   TEXT,
    last_modified INTEGER NOT NULL,
    acl           TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    http_headers  TEXT NOT NULL,
    user_meta     TEXT NOT NULL,
    tags          TEXT NOT NULL,
    PRIMARY KEY (bucket, key)
  ) WITHOUT ROWID;
  `,
  // The last journaled write committed to SQLite (see commits.ts): replay after a crash starts after it.
  `
  CREATE TABLE journal_applied (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
  );
  INSERT INTO journal_applied (id, seq) VALUES (1, 0);
  `,
  // A bucket's policy (PutBucketPolicy), kept as the text it was given: GetBucketPolicy returns it byte for byte.
  `
  ALTER TABLE buckets ADD COLUMN policy TEXT;
  `,
  // RestoreObject on a frozen (Archive, ColdArchive, DeepColdArchive) object: when the restored copy
  // is readable (ms), until when (ms), and the tier asked for. Rewriting the object clears them.
  `
  ALTER TABLE objects ADD COLUMN restore_ready_at INTEGER;
  ALTER TABLE objects ADD COLUMN restore_expires_at INTEGER;
  ALTER TABLE objects ADD COLUMN restore_tier TEXT;
  `,
  // Multipart uploads in progress: the attributes InitiateMultipartUpload gave the object to be (JSON),
  // and each uploaded part, whose bytes are a live blob until the upload is completed or aborted.
  `
  CREATE TABLE uploads (
    id         TEXT PRIMARY KEY,
    bucket     TEXT NOT NULL,
    key        TEXT NOT NULL,
    initiated  INTEGER NOT NULL,
    attributes TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX uploads_by_key ON uploads(bucket, key, id);
  CREATE TABLE parts (
    upload_id     TEXT NOT NULL,
    part_number   INTEGER NOT NULL,
    blob_id       INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    etag          TEXT NOT NULL,
    crc64         TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    PRIMARY KEY (upload_id, part_number)
  ) WITHOUT ROWID;
  `,
  // The server-side encryption an object was written with (JSON of Encryption), or NULL.
  `
  ALTER TABLE objects ADD COLUMN encryption TEXT;
  `,
  // A Symlink object's target key (PutSymlink), NULL for every other type.
  `
  ALTER TABLE objects ADD COLUMN symlink_target TEXT;
  `,
  // A bucket's CORS configuration (PutBucketCors), as JSON of CorsConfiguration, or NULL.
  `
  ALTER TABLE buckets ADD COLUMN cors TEXT;
  `,
  // A bucket's other configurations (lifecycle, website, referer, logging, default encryption, tags):
  // JSON of BucketConfigurations, NULL when it has none.
  `
  ALTER TABLE buckets ADD COLUMN configurations TEXT;
  `,
  // CORS rules join the other configurations (one mechanism keeps them all). Text that is not
  // JSON with a list of rules, which the store used to read as no rules, is left behind.
  `
  UPDATE buckets SET configurations = json_set(COALESCE(configurations, '{}'), '$.cors', json(cors))
    WHERE cors IS NOT NULL AND json_valid(cors) AND json_type(cors, '$.rules') = 'array'
      AND json_valid(COALESCE(configurations, '{}')) AND json_type(COALESCE(configurations, '{}')) = 'object';
  ALTER TABLE buckets DROP COLUMN cors;
  `,
  // SealAppendObject: when an appendable object was first sealed (ms), NULL while it may still grow.
  `
  ALTER TABLE objects ADD COLUMN sealed_at INTEGER;
  `,
  // Versioning. `objects` keeps each key's current version, now with its version id (NULL for one
  // written while the bucket was never versioned, whose id is "null"). The versions it replaced, and
  // delete markers, move to `object_versions`, newest with the highest seq; a version's blob stays live.
  // A delete marker has no blob (blob_id 0) and no content: its other columns hold placeholders.
  `
  ALTER TABLE objects ADD COLUMN version_id TEXT;
  CREATE TABLE object_versions (
    bucket             TEXT NOT NULL,
    key                TEXT NOT NULL,
    seq                INTEGER NOT NULL,
    version_id         TEXT NOT NULL,
    delete_marker      INTEGER NOT NULL,
    type               TEXT NOT NULL,
    blob_id            INTEGER NOT NULL,
    size               INTEGER NOT NULL,
    crc64              TEXT NOT NULL,
    etag               TEXT NOT NULL,
    content_md5        TEXT,
    last_modified      INTEGER NOT NULL,
    acl                TEXT NOT NULL,
    storage_class      TEXT NOT NULL,
    http_headers       TEXT NOT NULL,
    user_meta          TEXT NOT NULL,
    tags               TEXT NOT NULL,
    restore_ready_at   INTEGER,
    restore_expires_at INTEGER,
    restore_tier       TEXT,
    encryption         TEXT,
    symlink_target     TEXT,
    sealed_at          INTEGER,
    PRIMARY KEY (bucket, key, seq)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX object_versions_by_id ON object_versions(bucket, key, version_id);
  `,
];

export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this ossemu (${MIGRATIONS.length}); upgrade ossemu`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
