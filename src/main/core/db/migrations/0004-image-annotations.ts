import type { Migration } from '../migration';

/**
 * The consultant's marks on each image: one versioned JSON document per image (keyed by the
 * image's SHA-256, in oriented-image pixel coordinates). `revision` increases on every save so
 * two windows (main and pop-out) cannot silently overwrite each other.
 */
export const migration0004: Migration = {
  id: 4,
  name: 'image-annotations',
  up(db) {
    db.exec(`
      CREATE TABLE image_annotations (
        image_sha256 TEXT PRIMARY KEY CHECK (length(image_sha256) = 64),
        doc_json TEXT NOT NULL CHECK (json_valid(doc_json)),
        schema_version INTEGER NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
