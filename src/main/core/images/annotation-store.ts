import { AppError } from '../../../shared/contract/errors';
import { annotationDocSchema, type AnnotationDoc } from '../../../shared/domain/viewer/annotations';
import type { Db } from '../db/open-database';

/** Annotation documents in SQLite, one per image, with optimistic concurrency on `revision`. */
export class AnnotationStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  get(sha256: string): { doc: AnnotationDoc | null; revision: number } {
    const row = this.db
      .prepare('SELECT doc_json, revision FROM image_annotations WHERE image_sha256 = ?')
      .get(sha256) as { doc_json: string; revision: number } | undefined;
    if (!row) return { doc: null, revision: 0 };
    const parsed = annotationDocSchema.safeParse(JSON.parse(row.doc_json));
    // A document from a newer app version is not misread: it is reported, never overwritten blindly.
    if (!parsed.success)
      throw new AppError('schema-too-new', 'These image marks were saved by a newer DermDesk. Update to see them.');
    return { doc: parsed.data, revision: row.revision };
  }

  save(sha256: string, doc: AnnotationDoc, expectedRevision: number): { revision: number } {
    return this.db.transaction(() => {
      const current = this.get(sha256).revision;
      if (current !== expectedRevision)
        throw new AppError('conflict', 'These marks were changed in another window. Reload the image to see them.');
      const revision = current + 1;
      this.db
        .prepare(
          `INSERT INTO image_annotations (image_sha256, doc_json, schema_version, revision, updated_at)
           VALUES (@sha, @doc, @schemaVersion, @revision, @at)
           ON CONFLICT(image_sha256) DO UPDATE SET doc_json = @doc, schema_version = @schemaVersion,
             revision = @revision, updated_at = @at`,
        )
        .run({
          sha: sha256,
          doc: JSON.stringify(doc),
          schemaVersion: doc.schemaVersion,
          revision,
          at: this.now().toISOString(),
        });
      return { revision };
    })();
  }
}
